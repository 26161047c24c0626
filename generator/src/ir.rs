//! The plain-data intermediate representation: what lowering produces and
//! what the emitters consume. No token streams and no openapiv3 types live
//! here; every name is final (both the Rust name and the wire name).

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    /// The first server URL, when it is absolute; the client's default base URL.
    pub base_url: Option<String>,
    /// Arena of named types, indexed by [`TypeId`]; emitters sort by name.
    pub types: Vec<TypeDef>,
    /// Sorted by Rust name.
    pub operations: Vec<Operation>,
    /// Sorted by Rust name.
    pub security_schemes: Vec<SecurityScheme>,
    /// Headers every request carries unless the caller overrides them, from
    /// the root extension `x-client-default-headers` (name → value).
    pub default_headers: Vec<(String, String)>,
    /// Request rate limits the server documents, from the root extension
    /// `x-client-rate-limits`; the client offers a limiter that keeps to them.
    pub rate_limits: Vec<RateLimit>,
}

/// At most `requests` in any `seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub requests: u32,
    pub seconds: u64,
}

impl Api {
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// Where the type was defined, as a JSON pointer.
    pub origin: String,
    pub kind: TypeKind,
    /// A request body or parameter can carry it (directly or nested).
    pub in_requests: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(StringEnum),
    Union(Union),
    /// A named schema that is just another type (`type: string`, an array…).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Fields (by Rust name) that `new` takes: the required ones, in the
    /// order of the spec's `required` list.
    pub constructor: Vec<String>,
    /// Field name and value type of `additionalProperties`, collected into
    /// a flattened map.
    pub additional: Option<(String, TypeRef)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub rust_name: String,
    pub wire_name: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub presence: Presence,
    /// Boxed to break a cycle of directly nested types.
    pub boxed: bool,
    pub read_only: bool,
    /// A read-only field of a type that requests carry: never serialized.
    pub skip_serializing: bool,
    pub constraints: Constraints,
}

/// How a property may appear on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Must be present and not null: `T`.
    Required,
    /// May be absent, not null: `Option<T>`, skipped when `None`.
    Optional,
    /// Must be present, may be null: `Option<T>`, always serialized.
    RequiredNullable,
    /// May be absent or null: `Nullable<T>` keeps the three states apart.
    OptionalNullable,
}

/// Validation keywords kept for documentation and client-side checks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// A string's `format` (`date-time`, `email`…), or its items' for a
    /// list of strings.
    pub format: Option<String>,
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
    /// Name of the variant that keeps values the spec does not list.
    pub catch_all: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub rust_name: String,
    pub wire: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// In the order they are tried when decoding.
    pub variants: Vec<UnionVariant>,
    /// Property whose value selects the variant, when the spec names one.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// Discriminator values that select this variant.
    pub tags: Vec<String>,
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    Named(TypeId),
    String,
    Integer(IntWidth),
    Number(FloatWidth),
    Boolean,
    /// Any JSON value.
    Json,
    /// Any JSON object.
    JsonObject,
    List(Box<TypeRef>),
    Map(Box<TypeRef>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntWidth {
    I32,
    I64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FloatWidth {
    F32,
    F64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `snake_case` method name on the client.
    pub rust_name: String,
    /// `UpperCamelCase` prefix for the operation's request and error types.
    pub type_prefix: String,
    /// Upper-case HTTP method.
    pub method: String,
    pub path: String,
    pub path_segments: Vec<PathSegment>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// Ordered: codes ascending, then ranges, then `default`.
    pub responses: Vec<Response>,
    /// Security schemes (by Rust name) whose credentials the request carries.
    pub security: Vec<String>,
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// Wire name of a path parameter.
    Param(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub rust_name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: TypeRef,
    pub required: bool,
    pub media_type: String,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

impl Status {
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(&c),
            Status::Range(r) => r == 2,
            Status::Default => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: Status,
    /// Variant name in the operation's error enum (`NotFound`, `Status418`…).
    pub variant: String,
    pub description: String,
    pub body: ResponseBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Empty,
    Json(TypeRef),
    Text,
    Bytes,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The scheme's key in `components.securitySchemes`.
    pub wire_name: String,
    /// `snake_case` name of the builder method and client field.
    pub rust_name: String,
    pub kind: SecurityKind,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityKind {
    ApiKeyHeader(String),
    ApiKeyQuery(String),
    ApiKeyCookie(String),
    Bearer,
    Basic,
}
