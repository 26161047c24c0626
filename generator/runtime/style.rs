//! How a parameter's value becomes text. The generator reads this same
//! file as its IR's parameter style, so what it decides and what the
//! runtime encodes are one type.
#![cfg(not(omit = "style"))]

/// How a parameter's value becomes text: OpenAPI's `style` and `explode`
/// (and `content: application/json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    #[cfg(not(omit = "style_form"))]
    /// `form`, exploded: a list repeats the name, an object's properties
    /// are parameters of their own.
    Form,
    #[cfg(not(omit = "style_form_compact"))]
    /// `form`, not exploded: comma-separated (`k,v,k,v` for an object).
    FormCompact,
    #[cfg(not(omit = "style_simple"))]
    /// `simple`: comma-separated (`k,v,k,v` for an object).
    Simple,
    #[cfg(not(omit = "style_simple_exploded"))]
    /// `simple`, exploded: an object is `k=v,k=v`.
    SimpleExploded,
    #[cfg(not(omit = "style_space_delimited"))]
    /// A list joined with spaces.
    SpaceDelimited,
    #[cfg(not(omit = "style_pipe_delimited"))]
    /// A list joined with `|`.
    PipeDelimited,
    #[cfg(not(omit = "style_deep_object"))]
    /// `name[key]=value` for each property (nested: `name[a][b]`).
    DeepObject,
    #[cfg(not(omit = "style_json"))]
    /// The value as JSON text.
    Json,
    #[cfg(not(omit = "style_label"))]
    /// Path `label`: `.a,b`.
    Label,
    #[cfg(not(omit = "style_label_exploded"))]
    /// Path `label`, exploded: `.a.b`.
    LabelExploded,
    #[cfg(not(omit = "style_matrix"))]
    /// Path `matrix`: `;name=a,b`.
    Matrix,
    #[cfg(not(omit = "style_matrix_exploded"))]
    /// Path `matrix`, exploded: `;name=a;name=b`.
    MatrixExploded,
}
