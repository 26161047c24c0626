//! A flat view of one schema. openapiv3 splits schemas into `Type(…)` and a
//! catch-all `Any(…)` (for `oneOf` beside `type`, properties without
//! `type`, …); lowering reads both through this one shape.

use crate::ir::Constraints;
use openapiv3::{
    AdditionalProperties, Discriminator, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat,
    StringType, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// A schema position: a `$ref` or an inline schema.
#[derive(Debug, Clone, Copy)]
pub enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

/// A schema's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaType<'a> {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    /// 3.1's `null` (3.0 documents say `nullable` instead).
    Null,
    /// Swagger 2.0's `file`, left in documents converted from it.
    File,
    /// Anything else, as written.
    Other(&'a str),
}

impl<'a> SchemaType<'a> {
    pub fn parse(text: &'a str) -> Self {
        match text {
            "string" => SchemaType::String,
            "number" => SchemaType::Number,
            "integer" => SchemaType::Integer,
            "boolean" => SchemaType::Boolean,
            "object" => SchemaType::Object,
            "array" => SchemaType::Array,
            "null" => SchemaType::Null,
            "file" => SchemaType::File,
            other => SchemaType::Other(other),
        }
    }

    /// The name as a document writes it.
    pub fn name(self) -> &'a str {
        match self {
            SchemaType::String => "string",
            SchemaType::Number => "number",
            SchemaType::Integer => "integer",
            SchemaType::Boolean => "boolean",
            SchemaType::Object => "object",
            SchemaType::Array => "array",
            SchemaType::Null => "null",
            SchemaType::File => "file",
            SchemaType::Other(other) => other,
        }
    }
}

#[derive(Debug, Default)]
pub struct View<'a> {
    pub typ: Option<SchemaType<'a>>,
    pub format: Option<String>,
    pub nullable: bool,
    pub read_only: bool,
    pub description: Option<&'a str>,
    pub title: Option<&'a str>,
    pub properties: Vec<(&'a str, SchemaRef<'a>)>,
    pub required: Vec<&'a str>,
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<SchemaRef<'a>>,
    pub enum_values: Vec<Value>,
    pub one_of: Vec<SchemaRef<'a>>,
    pub any_of: Vec<SchemaRef<'a>>,
    pub all_of: Vec<SchemaRef<'a>>,
    pub has_not: bool,
    pub discriminator: Option<&'a Discriminator>,
    pub constraints: Constraints,
}

fn format_of<T: std::fmt::Debug>(f: &VariantOrUnknownOrEmpty<T>, name: impl Fn(&T) -> &'static str) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(item) => Some(name(item).to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_format(s: &StringType) -> Option<String> {
    format_of(&s.format, |f| match f {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    })
}

impl<'a> View<'a> {
    pub fn of(schema: &'a Schema) -> Self {
        let data = &schema.schema_data;
        let mut view = View {
            nullable: data.nullable,
            read_only: data.read_only,
            description: data.description.as_deref(),
            title: data.title.as_deref(),
            discriminator: data.discriminator.as_ref(),
            ..View::default()
        };
        view.constraints.default = data.default.as_ref().map(Value::to_string);
        view.constraints.example = data.example.as_ref().map(Value::to_string);
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.typ = Some(SchemaType::String);
                view.enum_values = s.enumeration.iter().map(|v| v.clone().map_or(Value::Null, Value::String)).collect();
                view.constraints.min_length = s.min_length;
                view.constraints.max_length = s.max_length;
                view.constraints.format = string_format(s);
                view.constraints.pattern = s.pattern.clone();
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.typ = Some(SchemaType::Number);
                view.format = format_of(&n.format, |f| match f {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
                view.enum_values = n.enumeration.iter().map(|v| v.map_or(Value::Null, Value::from)).collect();
                view.constraints.minimum = n.minimum;
                view.constraints.maximum = n.maximum;
                view.constraints.exclusive_minimum = n.exclusive_minimum;
                view.constraints.exclusive_maximum = n.exclusive_maximum;
                view.constraints.multiple_of = n.multiple_of;
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.typ = Some(SchemaType::Integer);
                view.format = format_of(&i.format, |f| match f {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                view.enum_values = i.enumeration.iter().map(|v| v.map_or(Value::Null, Value::from)).collect();
                view.constraints.minimum = i.minimum.map(|v| v as f64);
                view.constraints.maximum = i.maximum.map(|v| v as f64);
                view.constraints.exclusive_minimum = i.exclusive_minimum;
                view.constraints.exclusive_maximum = i.exclusive_maximum;
                view.constraints.multiple_of = i.multiple_of.map(|v| v as f64);
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                view.typ = Some(SchemaType::Boolean);
                view.enum_values = b.enumeration.iter().map(|v| v.map_or(Value::Null, Value::Bool)).collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                view.typ = Some(SchemaType::Object);
                view.properties = o.properties.iter().map(|(k, v)| (k.as_str(), v.into())).collect();
                view.required = o.required.iter().map(String::as_str).collect();
                view.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.typ = Some(SchemaType::Array);
                view.items = a.items.as_ref().map(Into::into);
                view.constraints.min_items = a.min_items;
                view.constraints.max_items = a.max_items;
                // The items' string format (a list of emails), when inline.
                if let Some(ReferenceOr::Item(item)) = &a.items {
                    view.constraints.items = Some(Box::new(View::of(item).constraints));
                    if let SchemaKind::Type(Type::String(s)) = &item.schema_kind {
                        view.constraints.format = string_format(s);
                        view.constraints.pattern = s.pattern.clone();
                    }
                }
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of.iter().map(Into::into).collect(),
            SchemaKind::AnyOf { any_of } => view.any_of = any_of.iter().map(Into::into).collect(),
            SchemaKind::AllOf { all_of } => view.all_of = all_of.iter().map(Into::into).collect(),
            SchemaKind::Not { .. } => view.has_not = true,
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref().map(SchemaType::parse);
                view.format = any.format.clone();
                view.properties = any.properties.iter().map(|(k, v)| (k.as_str(), v.into())).collect();
                view.required = any.required.iter().map(String::as_str).collect();
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref().map(Into::into);
                view.enum_values = any.enumeration.clone();
                view.one_of = any.one_of.iter().map(Into::into).collect();
                view.any_of = any.any_of.iter().map(Into::into).collect();
                view.all_of = any.all_of.iter().map(Into::into).collect();
                view.has_not = any.not.is_some();
                let c = &mut view.constraints;
                c.minimum = any.minimum;
                c.maximum = any.maximum;
                c.exclusive_minimum = any.exclusive_minimum.unwrap_or(false);
                c.exclusive_maximum = any.exclusive_maximum.unwrap_or(false);
                c.multiple_of = any.multiple_of;
                c.min_items = any.min_items;
                c.max_items = any.max_items;
                c.min_length = any.min_length;
                c.max_length = any.max_length;
                if view.typ == Some(SchemaType::String) {
                    c.format = any.format.clone();
                    c.pattern = any.pattern.clone();
                }
                if let Some(ReferenceOr::Item(item)) = &any.items {
                    c.items = Some(Box::new(View::of(item).constraints));
                }
            }
        }
        view
    }

    /// True for `{}` and `{type: object}` without any structure: a schema
    /// that says nothing beyond "some value" or "some object".
    pub fn is_free_form(&self) -> bool {
        matches!(self.typ, None | Some(SchemaType::Object))
            && self.properties.is_empty()
            && self.additional.is_none()
            && self.items.is_none()
            && self.enum_values.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && !self.has_not
    }
}

/// What an `allOf` member contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Substance {
    /// Annotations only.
    Nothing,
    /// Properties: merged into a struct.
    Object,
    /// `type: string`, `integer`, `number` or `boolean` (with its
    /// constraints and format).
    Scalar(SchemaType<'static>),
    /// Anything else: a list, an enum, a union, `not`.
    Other,
}

impl Substance {
    pub(super) fn describe(self) -> &'static str {
        match self {
            Substance::Nothing => "annotations",
            Substance::Object => "an object",
            Substance::Scalar(t) => t.name(),
            Substance::Other => "a list, enum or union",
        }
    }
}

impl View<'_> {
    /// Whether the schema admits `null` by itself: `nullable`, or a
    /// `oneOf`/`anyOf` branch that admits only null (no variant of its
    /// own). The one rule for positions and components alike (an `allOf`
    /// member that only says `nullable` is read where the `allOf` is).
    pub(super) fn admits_null(&self) -> bool {
        self.nullable || self.one_of.iter().chain(&self.any_of).any(|member| admits_only_null(*member))
    }
}

/// A schema that admits only `null`: `{type: 'null'}`, or OpenAPI 3.0's
/// way to say it, `{nullable: true, enum: [null]}` (with any `type`).
pub(super) fn admits_only_null(member: SchemaRef<'_>) -> bool {
    let SchemaRef::Item(schema) = member else { return false };
    let view = View::of(schema);
    view.typ == Some(SchemaType::Null) || (view.nullable && view.enum_values == [Value::Null])
}

/// The schema of `view`'s property `name` when it is written inline (not a
/// `$ref`).
pub(super) fn inline_property<'a>(view: &View<'a>, name: &str) -> Option<View<'a>> {
    match view.properties.iter().find(|(n, _)| *n == name)? {
        (_, SchemaRef::Item(schema)) => Some(View::of(schema)),
        (_, SchemaRef::Ref(_)) => None,
    }
}
