//! How a parameter's value becomes text. The generator reads this same
//! file as its IR's parameter style, so what it decides and what the
//! runtime encodes are one type.

/// How a parameter's value becomes text: OpenAPI's `style` and `explode`
/// (and `content: application/json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form`, exploded: a list repeats the name, an object's properties
    /// are parameters of their own.
    Form,
    /// `form`, not exploded: comma-separated (`k,v,k,v` for an object).
    FormCompact,
    /// `simple`: comma-separated (`k,v,k,v` for an object).
    Simple,
    /// `simple`, exploded: an object is `k=v,k=v`.
    SimpleExploded,
    /// A list joined with spaces.
    SpaceDelimited,
    /// A list joined with `|`.
    PipeDelimited,
    /// `name[key]=value` for each property (nested: `name[a][b]`).
    DeepObject,
    /// The value as JSON text.
    Json,
    /// Path `label`: `.a,b`.
    Label,
    /// Path `label`, exploded: `.a.b`.
    LabelExploded,
    /// Path `matrix`: `;name=a,b`.
    Matrix,
    /// Path `matrix`, exploded: `;name=a;name=b`.
    MatrixExploded,
}
