//! The plain-data intermediate representation: what lowering produces, what
//! `decide` completes and what the emitters print. No token streams and no
//! openapiv3 types live here; every name is final (both the Rust name and
//! the wire name).
//!
//! Lowering fills in what the document says. Fields documented as
//! *Decided* say what the crate will be (representations, names, shapes);
//! lowering leaves them at their defaults and [`crate::decide`] sets them,
//! so the IR snapshot shows every choice the emitters follow.
//!
//! Lowered and decided IR are different types: lowering, selection and
//! checks work on an [`Api`]; only `decide` turns one into a [`Decided`],
//! and the emitters take nothing else, so none can print an undecided
//! field.

/// An [`Api`] that the decide phase completed. It can only be made by
/// [`crate::decide::decide`], and reading it is all that is left to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided(Api);

impl Decided {
    /// Only the decide phase seals an [`Api`].
    pub(crate) fn seal(api: Api) -> Self {
        Decided(api)
    }
}

impl std::ops::Deref for Decided {
    type Target = Api;
    fn deref(&self) -> &Api {
        &self.0
    }
}

/// Index of a security scheme in [`Api::security_schemes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchemeId(pub usize);

/// Index of a parameter in its [`Operation::params`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParamId(pub usize);

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    /// `info.license`, when it is an SPDX expression (the crate's license).
    pub license: Option<String>,
    /// `info.contact.url`, for the crate's `homepage` (or `repository`,
    /// when it is a code host's).
    pub homepage: Option<String>,
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
    /// Operations left out (their pointers): they use something the
    /// generator cannot represent, and a warning says what.
    pub skipped_operations: Vec<String>,
    /// Decided: crate-wide choices.
    pub crate_shape: CrateShape,
}

/// At most `requests` in any `seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub requests: u32,
    pub seconds: u64,
}

impl Api {
    /// Calls `f` on each type reference the types and operations hold
    /// directly (not on those inside them: a `List`'s item is its own).
    pub fn for_each_type_ref_mut(&mut self, mut f: impl FnMut(&mut TypeRef)) {
        for def in &mut self.types {
            match &mut def.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter_mut().for_each(|field| f(&mut field.ty));
                    s.additional.iter_mut().for_each(|a| f(&mut a.ty));
                }
                TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| f(&mut v.ty)),
                TypeKind::Alias(ty) => f(ty),
                TypeKind::Enum(_) => {}
            }
        }
        for op in &mut self.operations {
            op.params.iter_mut().for_each(|p| f(&mut p.ty));
            op.body.iter_mut().flat_map(|b| &mut b.contents).for_each(|c| f(&mut c.ty));
            for response in &mut op.responses {
                if let ResponseBody::Json(ty) = &mut response.body {
                    f(ty);
                }
                if let Some(stream) = &mut response.stream {
                    f(&mut stream.item);
                }
            }
        }
    }

    /// Every type reference the types and operations hold directly.
    pub fn type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        let in_types = self.types.iter().flat_map(|def| def.kind.type_refs());
        in_types.chain(self.operations.iter().flat_map(Operation::type_refs))
    }

    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The named types `roots` reach, directly or nested.
    pub fn reached<'a>(&self, roots: impl IntoIterator<Item = &'a TypeRef>) -> std::collections::BTreeSet<TypeId> {
        let mut stack: Vec<TypeId> = roots.into_iter().filter_map(TypeRef::named).collect();
        let mut seen = std::collections::BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            stack.extend(self.types[id.0].kind.type_refs().filter_map(TypeRef::named));
        }
        seen
    }

    /// The schemas no operation reaches, and every type they hold (which
    /// operations may reach too).
    pub fn held_by_unused(&self) -> (usize, std::collections::BTreeSet<TypeId>) {
        let used = self.reached(self.operations.iter().flat_map(Operation::type_refs));
        let unused: Vec<TypeRef> =
            (0..self.types.len()).map(TypeId).filter(|id| !used.contains(id)).map(TypeRef::Named).collect();
        (unused.len(), self.reached(&unused))
    }
}

/// Choices that concern the whole crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrateShape {
    /// `#![recursion_limit]`, when long chains of nested types need more
    /// than the compiler's default.
    pub recursion_limit: Option<u32>,
    /// What `Client::new` takes.
    pub client_new: ClientNew,
    /// Decided: the operation (its index in [`Api::operations`]) the
    /// crate's front page calls (its required parameters all strings, and
    /// no required body), if one is.
    pub front_page_call: Option<usize>,
    /// Decided: `Client::with_<scheme>(credential)` for each security
    /// scheme (when the document names a server).
    pub constructors: Vec<Constructor>,
    /// Some operation has `items()` (its example reads a stream).
    pub paginates: bool,
    /// Response headers the spec documents that carry a request id
    /// (lower case, sorted), read before the common ones.
    pub request_id_headers: Vec<String>,
    /// A cargo feature per tag, sorted by name (none when the operations
    /// have fewer than two tags, or for a module another crate includes).
    pub features: Vec<CrateFeature>,
    /// How many schemas no operation uses: with tag features, they (and
    /// what they hold) have the feature `unreferenced-schemas`.
    pub unreferenced_schemas: usize,
    /// The `full-serde` feature adds the serde direction a type does not
    /// need (not for a module another crate includes: it has no features).
    pub full_serde: bool,
    /// Whether the client is a crate of its own or a module of another.
    pub target: Target,
    /// Operations (their pointers) that look like paginated lists (a page,
    /// offset or cursor parameter, a `Link` header) that no style fits, so
    /// they have no `items()`: `x-pagination` can say how they page.
    pub unpaged_lists: Vec<String>,
    /// Decided: the runtime's optional parts the crate's code uses, each
    /// with the features under which it does (see
    /// [`crate::runtime`]'s markers). A part not listed is not emitted.
    pub runtime_parts: RuntimeGates,
}

impl CrateShape {
    /// Whether the crate's code uses the runtime's `part` (under any
    /// features).
    pub fn uses(&self, part: RuntimePart) -> bool {
        self.runtime_parts.contains_key(&part)
    }
}

/// When a piece of emitted code is compiled: any of these sets of cargo
/// features, each set all on. A set that is empty: always.
pub type Gate = std::collections::BTreeSet<std::collections::BTreeSet<String>>;

/// The runtime's parts a crate uses and when.
pub type RuntimeGates = std::collections::BTreeMap<RuntimePart, Gate>;

macro_rules! runtime_parts {
    ($($(#[doc = $doc:literal])* $part:ident = $name:literal,)*) => {
        /// A piece of the runtime that only some clients need, as its
        /// source marks it: `#[cfg(not(omit = "name"))]`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuntimePart {
            $($(#[doc = $doc])* $part,)*
        }

        impl RuntimePart {
            /// Every part.
            pub const ALL: &'static [RuntimePart] = &[$(RuntimePart::$part),*];

            /// The name the runtime's markers use.
            pub fn name(self) -> &'static str {
                match self {
                    $(RuntimePart::$part => $name,)*
                }
            }

            /// The part a marker names.
            pub fn named(name: &str) -> Option<RuntimePart> {
                Self::ALL.iter().copied().find(|p| p.name() == name)
            }
        }
    };
}

runtime_parts! {
    /// Any operation: calls, their requests and responses.
    Operations = "operations",
    /// Any security scheme: setting, checking and sending credentials.
    Credentials = "credentials",
    /// An API key (or a whole `Authorization` value) in a header.
    CredentialHeader = "credential_header",
    /// An API key in the query string.
    CredentialQuery = "credential_query",
    /// An API key in a cookie.
    CredentialCookie = "credential_cookie",
    /// `Authorization: Bearer`.
    CredentialBearer = "credential_bearer",
    /// `Authorization: Basic`.
    CredentialBasic = "credential_basic",
    /// Bearer tokens from a token source (OAuth2).
    CredentialToken = "credential_token",
    /// A path parameter in the default style.
    ParamPath = "param_path",
    /// A path parameter in a style of its own.
    ParamPathStyled = "param_path_styled",
    /// A query parameter in the default style.
    ParamQuery = "param_query",
    /// A query parameter in a style of its own.
    ParamQueryStyled = "param_query_styled",
    /// A header parameter in the default style.
    ParamHeader = "param_header",
    /// A header parameter in a style of its own.
    ParamHeaderStyled = "param_header_styled",
    /// A cookie parameter in the default style.
    ParamCookie = "param_cookie",
    /// A cookie parameter in a style of its own.
    ParamCookieStyled = "param_cookie_styled",
    /// A value as query pairs (query parameters, styled form fields).
    QueryPairs = "query_pairs",
    /// A value as one text (path, header and cookie parameters).
    Joined = "joined",
    /// The parameter styles at all.
    Style = "style",
    /// Each parameter style the crate sends: `form`, exploded.
    StyleForm = "style_form",
    /// `form`, not exploded.
    StyleFormCompact = "style_form_compact",
    /// `simple`.
    StyleSimple = "style_simple",
    /// `simple`, exploded.
    StyleSimpleExploded = "style_simple_exploded",
    /// `spaceDelimited`.
    StyleSpaceDelimited = "style_space_delimited",
    /// `pipeDelimited`.
    StylePipeDelimited = "style_pipe_delimited",
    /// `deepObject`.
    StyleDeepObject = "style_deep_object",
    /// `content: application/json`.
    StyleJson = "style_json",
    /// `label`.
    StyleLabel = "style_label",
    /// `label`, exploded.
    StyleLabelExploded = "style_label_exploded",
    /// `matrix`.
    StyleMatrix = "style_matrix",
    /// `matrix`, exploded.
    StyleMatrixExploded = "style_matrix_exploded",
    /// Each request body kind: JSON.
    BodyJson = "body_json",
    /// `application/x-www-form-urlencoded`.
    BodyForm = "body_form",
    /// `multipart/form-data`.
    BodyMultipart = "body_multipart",
    /// A file part of a multipart body.
    MultipartFile = "multipart_file",
    /// Text.
    BodyText = "body_text",
    /// Bytes or a stream.
    BodyBinary = "body_binary",
    /// A request checked before it is sent.
    ValidateCall = "validate_call",
    /// Ranges and `multipleOf`.
    CheckNumber = "check_number",
    /// Lengths and item counts.
    CheckCount = "check_count",
    /// A struct's check of a struct it holds.
    ValidateNested = "validate_nested",
    /// Each response body kind decoded: JSON.
    DecodeJson = "decode_json",
    /// Text.
    DecodeText = "decode_text",
    /// Bytes.
    DecodeBytes = "decode_bytes",
    /// No body.
    DecodeEmpty = "decode_empty",
    /// A success returned as decoded.
    OutcomeOk = "outcome_ok",
    /// Successes told apart by status.
    OutcomeByStatus = "outcome_by_status",
    /// A success opened from its envelope.
    OutcomeEnvelope = "outcome_envelope",
    /// A documented error status.
    OutcomeFailure = "outcome_failure",
    /// A success streamed as it arrives.
    OutcomeStream = "outcome_stream",
    /// A status the operation does not document.
    OutcomeUnexpected = "outcome_unexpected",
    /// Responses told apart by status (`match raw.status()`).
    StatusMatch = "status_match",
    /// Streams of events.
    Events = "events",
    /// Server-sent events.
    EventsSse = "events_sse",
    /// JSON lines.
    EventsLines = "events_lines",
    /// Events decoded as JSON.
    EventsJson = "events_json",
    /// Events as text.
    EventsText = "events_text",
    /// Page streams.
    Pages = "pages",
    /// Pages by number or offset.
    PageNumbers = "page_numbers",
    /// A page number of a narrower integer type.
    PageNumberNarrow = "page_number_narrow",
    /// A total that ends a list.
    PageTotal = "page_total",
    /// Pages numbered from an ambiguous `minimum: 0`.
    PageAmbiguousStart = "page_ambiguous_start",
    /// Pages by cursor.
    PageCursor = "page_cursor",
    /// Pages by a next URL.
    PageUrl = "page_url",
    /// Pages by a `Link` header.
    PageLink = "page_link",
    /// The JSON decoder.
    Json = "json",
    /// Structs decoded.
    JsonStructs = "json_structs",
    /// String enums decoded.
    JsonEnums = "json_enums",
    /// Tagged unions decoded.
    JsonTagged = "json_tagged",
    /// Untagged unions decoded.
    JsonUntagged = "json_untagged",
    /// `Deserialize` through the JSON decoder.
    JsonDeserialize = "json_deserialize",
    /// `format: uuid` values (the crate depends on `uuid`).
    FormatUuid = "format_uuid",
    /// `format: ipv4` or `ipv6` values.
    FormatIp = "format_ip",
    /// `format: date-time` values.
    FormatDateTime = "format_date_time",
    /// `format: date` values.
    FormatDate = "format_date",
}

/// The style a parameter at `location` has when the document says none:
/// the runtime's plain `query`, `header`… take it, and a parameter in
/// another style names its style. Cookies are comma-joined unless JSON,
/// whatever their style.
pub fn default_style(location: ParamLocation, style: Style) -> Style {
    match location {
        ParamLocation::Query => Style::Form,
        ParamLocation::Path | ParamLocation::Header => Style::Simple,
        ParamLocation::Cookie if style != Style::Json => style,
        ParamLocation::Cookie => Style::FormCompact,
    }
}

/// What the generator writes: a crate, or one module that another crate
/// includes (from a build script).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Target {
    #[default]
    Crate,
    /// A module at `path` (`crate::api`) of the including crate.
    Module { path: String },
}

impl Target {
    /// The path of the client's root, as its own items name it (`crate`,
    /// or `crate::api` for a module).
    pub fn root(&self) -> &str {
        match self {
            Target::Crate => "crate",
            Target::Module { path } => path,
        }
    }
}

/// The cargo feature that compiles the schemas no operation uses.
pub const UNREFERENCED_SCHEMAS: &str = "unreferenced-schemas";

/// A cargo feature that compiles the operations of one tag and the types
/// they reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateFeature {
    pub name: String,
    /// The tag, as the document spells it.
    pub tag: String,
    pub operations: usize,
}

/// The shortcut constructor `Client::new`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ClientNew {
    /// None: the builder is the only way (several credentials, basic auth,
    /// or no default server).
    #[default]
    Absent,
    /// `new()`: the API needs no credential.
    NoCredential,
    /// `new(credential)` for the one security scheme (its Rust name).
    Credential(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// Where the type was defined, as a JSON pointer.
    pub origin: String,
    pub kind: TypeKind,
    /// Decided: a request body or parameter can carry it (directly or nested).
    pub in_requests: bool,
    /// Decided: it has a `validate()` that the client calls before sending.
    pub validates: bool,
    /// Decided: it is the body of a `multipart/form-data` request, so it
    /// writes its properties as parts.
    pub multipart: bool,
    /// Decided: it implements `Serialize` (requests carry it, or nothing
    /// the API does says which way it goes).
    pub serialize: bool,
    /// Decided: it implements `Deserialize` (responses carry it, or nothing
    /// says which way it goes).
    pub deserialize: bool,
    /// Decided: the cargo features that compile it (any of them); empty
    /// when it is always compiled.
    pub features: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(StringEnum),
    Union(Union),
    /// A named schema that is just another type (`type: string`, an array…).
    Alias(TypeRef),
}

impl TypeKind {
    /// The type references it holds directly: fields and extra members,
    /// variants, or the aliased type.
    pub fn type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        let (fields, additional, variants, alias) = match self {
            TypeKind::Struct(s) => (&s.fields[..], s.additional.as_ref(), &[][..], None),
            TypeKind::Union(u) => (&[][..], None, &u.variants[..], None),
            TypeKind::Alias(ty) => (&[][..], None, &[][..], Some(ty)),
            TypeKind::Enum(_) => (&[][..], None, &[][..], None),
        };
        let fields = fields.iter().map(|f| &f.ty).chain(additional.map(|a| &a.ty));
        fields.chain(variants.iter().map(|v| &v.ty)).chain(alias)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Fields (by Rust name) that `new` takes: the required ones, in the
    /// order of the spec's `required` list.
    pub constructor: Vec<String>,
    /// `additionalProperties`, collected into a flattened map.
    pub additional: Option<Additional>,
    /// `oneOf`/`anyOf` members that only list `required` properties (Rust
    /// names): a value has one of these sets. Sample values follow the first.
    pub required_sets: Vec<Vec<String>>,
    /// Decided: how the struct is declared.
    pub repr: StructRepr,
}

/// The map of properties a struct does not name.
#[derive(Debug, Clone, PartialEq)]
pub struct Additional {
    pub rust_name: String,
    /// The type of each value.
    pub ty: TypeRef,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StructRepr {
    /// `#[serde(rename_all = "camelCase")]`: it spares more per-field
    /// renames than it costs.
    pub rename_all_camel_case: bool,
    /// `#[derive(Default)]`: no field is required.
    pub derives_default: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub rust_name: String,
    pub wire_name: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub presence: Presence,
    pub read_only: bool,
    pub constraints: Constraints,
    /// Decided: how the field is declared, serialized, built and set.
    pub repr: FieldRepr,
}

/// How a property may appear on the wire, as the document says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Presence {
    /// Must be present and not null.
    Required,
    /// May be absent, not null.
    Optional,
    /// Must be present, may be null.
    RequiredNullable,
    /// May be absent or null.
    OptionalNullable,
}

/// The whole Rust representation of one field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldRepr {
    /// What wraps the value type.
    pub wrapper: Wrapper,
    /// The value is boxed (it breaks a cycle of directly nested types).
    pub boxed: bool,
    pub serde: FieldSerde,
    /// How `new` fills the field.
    pub init: FieldInit,
    /// The builder-style setter, for optional fields of request types.
    pub setter: Option<Setter>,
    /// What `validate()` checks of the value (nothing for types only
    /// received).
    pub checks: Vec<Check>,
    /// How a multipart body writes the field as parts (for the fields of
    /// multipart bodies).
    pub part: Option<PartKind>,
}

/// How a field of a `multipart/form-data` body becomes parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// A file part (bytes, with a file name and content type).
    File,
    /// A file part per item of a list.
    Files,
    /// A part holding the value as text (scalars) or JSON.
    Value,
}

/// What wraps a field's value type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Wrapper {
    /// `T`.
    #[default]
    Plain,
    /// `Option<T>`.
    Option,
    /// `Nullable<T>`: absent, null or a value.
    Nullable,
}

/// The field's serde attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSerde {
    /// `rename = "…"`: the wire name, when the struct's naming rule does not
    /// give it.
    pub rename: Option<String>,
    /// `default`: a missing field decodes as empty.
    pub default: bool,
    pub skip: SkipSerializing,
}

/// When a field is left out of what is sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SkipSerializing {
    /// Always written.
    #[default]
    Never,
    /// Left out when `None`.
    IfNone,
    /// Left out when `Nullable::Absent`.
    IfAbsent,
    /// Never written (read-only in a type that requests carry).
    Always,
}

/// How `new` fills a field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FieldInit {
    /// Empty: `None` or `Nullable::Absent`.
    #[default]
    Empty,
    /// From an argument of `new`.
    Argument(ArgKind),
}

/// What an argument accepts for a value of type `T`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ArgKind {
    /// `T` itself (boxed for the caller when the field is boxed).
    #[default]
    Exact,
    /// `impl Into<T>` (strings and bytes, so `&str` and `Vec<u8>` do).
    Into,
    /// `Option<T>`: a field that must be present but may be null.
    Optional,
}

/// A builder-style setter of an optional field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setter {
    /// The method name (the field's, or `with_` + it when a method of that
    /// name exists already).
    pub name: String,
    pub takes: SetterArg,
}

/// What a setter accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetterArg {
    /// `impl Into<T>`.
    Into,
    /// `impl IntoIterator<Item = impl Into<T>>`, for lists.
    Items,
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
    /// A string's `pattern` (ECMA-262 regular expression). Not checked
    /// before sending; sample values match it.
    pub pattern: Option<String>,
    /// The schema's (or parameter's) `example`, as JSON text: sample values
    /// use it when it fits the other constraints.
    pub example: Option<String>,
    /// An array's inline `items` schema's own constraints (a list of lists
    /// of two, say): sample values follow them.
    pub items: Option<Box<Constraints>>,
}

/// One check of a value before it is sent: the constraint plan that both
/// `validate()` and request builders print.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// A number within bounds (each `(value, exclusive)`) and a multiple
    /// of `step`; NaN and infinity (which have no JSON form) are refused
    /// too.
    Number { minimum: Option<(f64, bool)>, maximum: Option<(f64, bool)>, step: Option<f64> },
    /// A string's length, in characters.
    Length { min: Option<usize>, max: Option<usize> },
    /// A list's number of items.
    Items { min: Option<usize>, max: Option<usize> },
    /// Every item of a list of floating-point numbers has a JSON form.
    FiniteItems,
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
    /// Named: the variant that keeps a value whose tag the document does
    /// not list (tagged unions only), so a newer server's variant is never
    /// read as another.
    pub unknown: Option<String>,
    /// Decided: every variant is a struct that declares the tag property,
    /// so its own decoder refuses the tag twice, and reading ahead for the
    /// tag stops at its first occurrence.
    pub variants_hold_tag: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// Discriminator values that select this variant.
    pub tags: Vec<String>,
    /// Decided: the value is boxed (it breaks a cycle).
    pub boxed: bool,
    /// Decided: the union converts `From` this variant's payload (no other
    /// variant has that type); a `String` payload converts from `&str` too.
    pub from: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    Named(TypeId),
    String,
    /// A string whose `format` has a Rust type of its own.
    Formatted(Format),
    Integer(IntWidth),
    Number(FloatWidth),
    Boolean,
    /// Any JSON value.
    Json,
    /// Any JSON object.
    JsonObject,
    /// Bytes (`format: binary`): a file part, a binary body.
    Binary,
    List(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// A list item or map value that may be null (`Option<T>`). Fields and
    /// parameters say they may be null in their representation instead.
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// The `format` whose values a value of this type holds, through
    /// lists, maps and options (not through named types).
    pub fn format(&self) -> Option<Format> {
        match self {
            TypeRef::Formatted(format) => Some(*format),
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.format(),
            _ => None,
        }
    }

    /// The same type with every format kept as text (`--formats text`).
    pub fn formats_as_text(&mut self) {
        match self {
            TypeRef::Formatted(_) => *self = TypeRef::String,
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.formats_as_text(),
            _ => {}
        }
    }

    /// The named type a value holds, through lists and maps.
    pub fn named(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.named(),
            _ => None,
        }
    }

    /// The named type a value holds, to renumber.
    pub fn named_mut(&mut self) -> Option<&mut TypeId> {
        match self {
            TypeRef::Named(id) => Some(id),
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.named_mut(),
            _ => None,
        }
    }
}

/// Whether string formats get types of their own (the default) or stay
/// `String` (`--formats text`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FormatTypes {
    #[default]
    Typed,
    Text,
}

/// A string `format` decoded into a type of its own, not kept as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// `uuid`: `uuid::Uuid`.
    Uuid,
    /// `ipv4`: `std::net::Ipv4Addr`.
    Ipv4,
    /// `ipv6`: `std::net::Ipv6Addr`.
    Ipv6,
    /// `date-time`: the runtime's `DateTime`.
    DateTime,
    /// `date`: the runtime's `Date`.
    Date,
}

impl Format {
    /// The format a string schema's `format` names, when it has a type.
    pub fn of(format: Option<&str>) -> Option<Format> {
        match format? {
            "uuid" => Some(Format::Uuid),
            "ipv4" => Some(Format::Ipv4),
            "ipv6" => Some(Format::Ipv6),
            "date-time" => Some(Format::DateTime),
            "date" => Some(Format::Date),
            _ => None,
        }
    }

    /// The format as the document spells it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Uuid => "uuid",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
            Format::DateTime => "date-time",
            Format::Date => "date",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntWidth {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

impl IntWidth {
    /// The Rust integer of an OpenAPI integer `format` (`int8` … `uint64`),
    /// `i64` for none or any other.
    pub fn of_format(format: Option<&str>) -> Self {
        match format {
            Some("int8") => IntWidth::I8,
            Some("int16") => IntWidth::I16,
            Some("int32") => IntWidth::I32,
            Some("uint8") => IntWidth::U8,
            Some("uint16") => IntWidth::U16,
            Some("uint32") => IntWidth::U32,
            Some("uint64") => IntWidth::U64,
            _ => IntWidth::I64,
        }
    }

    /// The Rust type's name (`i32`).
    pub fn rust_name(self) -> &'static str {
        match self {
            IntWidth::I8 => "i8",
            IntWidth::I16 => "i16",
            IntWidth::I32 => "i32",
            IntWidth::I64 => "i64",
            IntWidth::U8 => "u8",
            IntWidth::U16 => "u16",
            IntWidth::U32 => "u32",
            IntWidth::U64 => "u64",
        }
    }

    /// The smallest and largest values it holds, as `i128`.
    pub fn range(self) -> (i128, i128) {
        match self {
            IntWidth::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntWidth::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntWidth::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntWidth::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntWidth::U8 => (0, u8::MAX.into()),
            IntWidth::U16 => (0, u16::MAX.into()),
            IntWidth::U32 => (0, u32::MAX.into()),
            IntWidth::U64 => (0, u64::MAX.into()),
        }
    }
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
    /// `UpperCamelCase` prefix for the operation's inline types.
    pub type_prefix: String,
    pub method: Method,
    pub path: String,
    pub path_segments: Vec<PathSegment>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// Ordered: codes ascending, then ranges, then `default`.
    pub responses: Vec<Response>,
    /// The security requirements: alternatives, each the schemes whose
    /// credentials go together; the request carries the first alternative
    /// whose credentials are all set. An empty alternative means the
    /// operation may also be called without credentials.
    pub security: Vec<Vec<SchemeId>>,
    pub origin: String,
    /// The `operationId`, as the document spells it.
    pub operation_id: Option<String>,
    /// The document's tags, in its order.
    pub tags: Vec<String>,
    /// What the operation's `x-pagination` says, if it has one.
    pub pagination_hint: Option<PaginationHint>,
    /// What the operation's `x-idempotent` says, if it has one.
    pub idempotent_hint: Option<bool>,
    /// What `x-envelope` (on the operation, else at the root) says, if
    /// anything: `false` keeps an envelope whole.
    pub envelope_hint: Option<bool>,
    /// The header `x-idempotency-key` (on the operation, else at the root)
    /// names, if any.
    pub idempotency_key_hint: Option<String>,
    /// Decided: the header that carries an idempotency key (from
    /// `x-idempotency-key`, or an `Idempotency-Key` header parameter): the
    /// client sends a fresh key per call unless the caller sets one, and
    /// the call is retried like an idempotent one.
    pub idempotency_key: Option<String>,
    /// Decided: sending it twice has the effect of sending it once (by its
    /// method, unless `x-idempotent` says otherwise), so a failure that may
    /// have reached the server can be retried.
    pub idempotent: bool,
    /// Decided: the names of the operation's own types.
    pub names: OperationNames,
    /// Decided: what a successful call returns.
    pub success: Success,
    /// Decided: how `items()` walks the pages, for a paginated list.
    pub pagination: Option<Pagination>,
    /// Decided: the `Accept` header: the media types the responses
    /// document, or `*/*` when they document none.
    pub accept: String,
    /// Decided: a binary success that `send_stream()` can also give unread,
    /// as a stream of chunks.
    pub streams: bool,
    /// Decided: a success offered as a stream of items, which `events()`
    /// reads as they arrive (asking for that media type).
    pub events: Option<EventStream>,
    /// Decided: no success status is documented, only `default`, which
    /// then covers the successes too (a 2XX decodes as the default's body,
    /// as the call's result; any other status is an error).
    pub default_success: bool,
    /// Decided: the cargo features that compile it (any of them); empty
    /// when it is always compiled.
    pub features: Vec<String>,
}

impl Operation {
    /// The responses a successful call may get: the success statuses, or
    /// `default` when it is the only one that covers them.
    pub fn success_responses(&self) -> impl Iterator<Item = &Response> {
        let default_success = self.default_success;
        self.responses.iter().filter(move |r| r.status.is_success() || (default_success && r.status == Status::Default))
    }

    /// Whether the call tells its responses apart by status: not when it
    /// documents none (every status is unexpected), nor when `default`
    /// alone covers only errors (every status is that error).
    pub fn matches_status(&self) -> bool {
        match self.responses.as_slice() {
            [] => false,
            [only] => only.status != Status::Default || self.default_success,
            _ => true,
        }
    }

    /// The parameter a path segment names. Lowering gives every `{name}`
    /// of the template a parameter, and [`Operation::retain_params`] keeps
    /// the links: a miss is a bug in the generator, and panics.
    pub fn param(&self, id: ParamId) -> &Param {
        &self.params[id.0]
    }

    /// Keeps the parameters `keep` accepts, and the path's links to them.
    /// A path parameter that is left out takes its segment with it, so an
    /// operation that leaves one out must be left out too.
    pub fn retain_params(&mut self, mut keep: impl FnMut(&Param) -> bool) {
        let kept: Vec<bool> = self.params.iter().map(&mut keep).collect();
        let mut new_index = Vec::with_capacity(kept.len());
        let mut next = 0;
        for &k in &kept {
            new_index.push(k.then_some(next));
            next += usize::from(k);
        }
        self.path_segments.retain_mut(|segment| match segment {
            PathSegment::Literal(_) => true,
            PathSegment::Param(id) => match new_index[id.0] {
                Some(index) => {
                    *id = ParamId(index);
                    true
                }
                None => false,
            },
        });
        let mut flags = kept.into_iter();
        self.params.retain(|_| flags.next().unwrap_or(false));
    }

    /// Every type the operation's requests and responses name directly.
    pub fn type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        self.sent_type_refs().chain(self.received_type_refs())
    }

    /// The types its parameters and bodies name directly.
    pub fn sent_type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        let params = self.params.iter().map(|p| &p.ty);
        params.chain(self.body.iter().flat_map(|b| &b.contents).map(|c| &c.ty))
    }

    /// The types its JSON responses and streamed items name directly.
    pub fn received_type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        let bodies = self.responses.iter().filter_map(|r| match &r.body {
            ResponseBody::Json(ty) => Some(ty),
            _ => None,
        });
        bodies.chain(self.responses.iter().filter_map(|r| r.stream.as_ref().map(|s| &s.item)))
    }
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    #[default]
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// OpenAPI 3.2's `query`: a safe request with a body (RFC draft
    /// "The HTTP QUERY Method").
    Query,
}

impl Method {
    /// Every method, in the order OpenAPI lists a path item's operations.
    pub const ALL: [Method; 9] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
        Method::Query,
    ];

    /// The upper-case name (`GET`), as `reqwest::Method`'s constants spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
        }
    }

    /// The key of a path item's operation (`get`).
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
            Method::Query => "query",
        }
    }
}

/// The names of an operation's types in `client.rs`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationNames {
    /// The request builder (`GetAutotuneRequest`).
    pub request: String,
    /// The enum of documented error responses (`GetAutotuneError`).
    pub error: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// A path parameter of the operation.
    Param(ParamId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// How a parameter's value becomes text: the runtime's own `Style`, read
/// from its source, so the generator and the generated code share it.
#[path = "../runtime/style.rs"]
mod style;
pub use style::Style;

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub rust_name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    pub style: Style,
    /// Checked before the request is sent.
    pub constraints: Constraints,
    /// Decided: how the caller passes it.
    pub repr: ParamRepr,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParamRepr {
    pub passing: Passing,
    /// What the argument or setter accepts.
    pub arg: ArgKind,
    /// What is checked before the request is sent.
    pub checks: Vec<Check>,
}

/// How a parameter reaches the request builder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Passing {
    /// An argument of the client method (required parameters).
    #[default]
    Argument,
    /// A setter on the request builder, named like the parameter.
    Setter,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub required: bool,
    pub doc: Option<String>,
    /// What it can be sent as, one per media kind, the default first (JSON
    /// when the operation offers it).
    pub contents: Vec<BodyContent>,
    /// Decided: the enum the request takes when there are several
    /// contents (`UploadBody`, a variant per kind).
    pub choice: Option<String>,
    /// Decided: how the caller gives it.
    pub repr: BodyRepr,
}

/// How the caller gives a request body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BodyRepr {
    /// An argument of the client method (a required body), else the
    /// request builder's `body` setter (which takes `impl Into`).
    pub passing: Passing,
    /// What the argument accepts: `impl Into` where something converts
    /// (bytes to `Binary`, `&str` to `String`, the default content to the
    /// choice of contents), else the type itself.
    pub arg: ArgKind,
    /// What a value of the default content's own type must be to be
    /// passed: `Into` where it converts straight to the argument (`&str`
    /// for a `String` body), `Exact` where it goes through the choice's
    /// `From`.
    pub content_arg: ArgKind,
}

impl Body {
    /// The default content.
    pub fn default_content(&self) -> &BodyContent {
        &self.contents[0]
    }
}

/// A body in one media type.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyContent {
    /// The media type as the document names it (sent as `Content-Type`).
    pub media_type: String,
    pub kind: MediaKind,
    /// What the caller gives: the schema's type (JSON, form, multipart),
    /// `String` (text) or `Binary`.
    pub ty: TypeRef,
    /// Multipart: the content types the `encoding` object gives parts
    /// (property wire name → content type), sorted.
    pub encoding: Vec<(String, String)>,
    /// Form: the style the `encoding` object gives a property (property
    /// wire name → style), sorted; the others are sent as scalars, lists
    /// repeating the name, and objects as JSON text.
    pub form_styles: Vec<(String, Style)>,
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MediaKind {
    /// `application/json` and `…+json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data` (and other `multipart/*`).
    Multipart,
    /// `text/*`, XML: a string.
    Text,
    /// Anything else (`application/octet-stream`, images, CBOR…): bytes or a stream.
    Binary,
}

impl MediaKind {
    /// The kind of a media type, by its name.
    pub fn of(media_type: &str) -> MediaKind {
        let essence = media_type.split(';').next().unwrap_or(media_type).trim().to_ascii_lowercase();
        if essence.ends_with("/json") || essence.ends_with("+json") {
            MediaKind::Json
        } else if essence == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if essence.starts_with("multipart/") {
            MediaKind::Multipart
        } else if essence.starts_with("text/") || essence.ends_with("/xml") || essence.ends_with("+xml") {
            MediaKind::Text
        } else {
            MediaKind::Binary
        }
    }

    /// The variant name in a body choice enum.
    pub fn variant(self) -> &'static str {
        match self {
            MediaKind::Json => "Json",
            MediaKind::Form => "Form",
            MediaKind::Multipart => "Multipart",
            MediaKind::Text => "Text",
            MediaKind::Binary => "Binary",
        }
    }
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

    /// The key of the response in the document (`404`, `4XX`, `default`).
    pub fn key(self) -> String {
        match self {
            Status::Code(c) => c.to_string(),
            Status::Range(r) => format!("{r}XX"),
            Status::Default => "default".into(),
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
    /// The names of the headers it documents, sorted.
    pub headers: Vec<String>,
    /// The media types of the body as the client reads it (the JSON ones
    /// for a JSON body, the text ones for text, every one for bytes), as
    /// the document names them.
    pub media_types: Vec<String>,
    /// A streamed media type it also offers (server-sent events, JSON
    /// Lines), read item by item.
    pub stream: Option<EventStream>,
}

/// A response read as a stream of items.
#[derive(Debug, Clone, PartialEq)]
pub struct EventStream {
    /// As the document names it (`text/event-stream`).
    pub media_type: String,
    pub framing: Framing,
    /// Each event's data (or line), decoded: a `String` when the document
    /// gives no schema, or a string one.
    pub item: TypeRef,
}

/// How a streamed body divides into items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `text/event-stream`.
    ServerSent,
    /// `application/x-ndjson`, `application/jsonl`, `application/json-seq`.
    Lines,
}

impl Framing {
    /// The framing of a streamed media type, or `None` for another.
    pub fn of(media_type: &str) -> Option<Framing> {
        let essence = media_type.split(';').next().unwrap_or(media_type).trim().to_ascii_lowercase();
        match essence.as_str() {
            "text/event-stream" => Some(Framing::ServerSent),
            "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/jsonlines"
            | "application/json-seq" => Some(Framing::Lines),
            _ => None,
        }
    }

    /// The runtime's name for it.
    pub fn variant(self) -> &'static str {
        match self {
            Framing::ServerSent => "ServerSent",
            Framing::Lines => "Lines",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Empty,
    Json(TypeRef),
    /// `text/*` and XML: a string.
    Text,
    /// Anything else: bytes (or a stream, with `send_stream`).
    Bytes,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// Every success status has this body, returned as decoded (`()` for
    /// an empty one or when no success is documented).
    Plain(ResponseBody),
    /// The body is a `{message, …}` envelope that is opened.
    Envelope(Envelope),
    /// The success statuses have different bodies: an enum of this name
    /// with a variant per status.
    ByStatus(String),
}

impl Default for Success {
    fn default() -> Self {
        Success::Plain(ResponseBody::Empty)
    }
}

/// A success body that carries the server's `message`.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// The body as decoded.
    pub body: TypeRef,
    pub opened: Opened,
}

/// What the caller gets from an envelope; the message goes to
/// `ApiResponse::message`.
#[derive(Debug, Clone, PartialEq)]
pub enum Opened {
    /// `{message?, data}`: the `data` field (Rust name).
    Data { field: String, ty: TypeRef, message: Option<MessageField> },
    /// `{message}` alone: `()`.
    MessageOnly(MessageField),
    /// A body with a `message` and other fields: kept whole.
    Whole(MessageField),
}

/// The envelope's string `message` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageField {
    pub rust_name: String,
    /// Declared as `Option<String>` (else `String`).
    pub optional: bool,
}

/// A paginated list, as `items()` and `pages()` walk it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub style: PageStyle,
    /// Where a page's items are.
    pub items: ItemsAt,
    pub item: TypeRef,
}

/// Where a page's items are in its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemsAt {
    /// A list field of the body (Rust name); as its wrapper says, it may be
    /// absent or null (no items).
    Field { name: String, wrapper: Wrapper },
    /// The body is the list.
    Body,
}

/// How the next page is asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum PageStyle {
    /// A page-number query parameter (Rust name), counting from the one the
    /// request sets, else from `first`: the parameter's `default`, else its
    /// `minimum`, else 1 (an API whose pages start at 0 says so there).
    PageNumber { param: ParamId, counter: Counter, end: PageEnd, first: i64, start: PageStart },
    /// An offset query parameter (items to skip), from the request's, else
    /// `first` (the parameter's `default` or `minimum`, else 0).
    Offset { param: ParamId, counter: Counter, end: PageEnd, first: i64 },
    /// A cursor query parameter (Rust name), fed from each page.
    Cursor { param: ParamId, from: CursorFrom },
    /// A URL the server gives for the next page, followed on the client's
    /// origin only.
    NextLink(LinkFrom),
}

impl PageStyle {
    /// The style's name, for docs and the generation summary.
    pub fn name(&self) -> &'static str {
        match self {
            PageStyle::PageNumber { .. } => "page number",
            PageStyle::Offset { .. } => "offset",
            PageStyle::Cursor { .. } => "cursor",
            PageStyle::NextLink(LinkFrom::LinkHeader) => "next link (Link header)",
            PageStyle::NextLink(LinkFrom::Field(_)) => "next link (body)",
        }
    }
}

/// The type of a page-number or offset parameter: an integer, or a number
/// (some documents declare their counters `type: number`), sent whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    Int(IntWidth),
    Float(FloatWidth),
}

/// A `Client::with_<scheme>(…)` constructor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constructor {
    /// Its name (`with_bearer`).
    pub function: String,
    /// The scheme (its index in [`Api::security_schemes`]) whose builder
    /// method it calls.
    pub scheme: usize,
}

/// Where a page-number list's first page came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStart {
    /// The parameter's `default` (the page the server gives unasked), or
    /// a `minimum` above 0.
    Declared,
    /// A `minimum` of 0, which servers that count from 1 declare too: the
    /// client skips a second page that repeats the first.
    MinimumZero,
    /// Nothing declared: pages from 1.
    Assumed,
}

/// How the last page of a numbered or offset list is recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageEnd {
    /// Another page follows while this field holds a value (`nextPage`).
    NextPresent(FieldPath),
    /// Another page follows while this boolean is true (`hasMore`).
    HasMore(FieldPath),
    /// This field counts the whole list's items (`total_count`); an empty
    /// page ends it too.
    Total(FieldPath),
    /// A page without items is the last.
    EmptyPage,
}

/// Where the next cursor comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CursorFrom {
    /// A string field of the body (`next_cursor`, `nextPageToken`); null,
    /// absent or empty on the last page.
    Field(FieldPath),
    /// The last item's `id` (its Rust field name), while a boolean says
    /// more follow (`starting_after` with `has_more`).
    LastItemId { id: String, has_more: FieldPath },
}

/// Where the next page's URL comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkFrom {
    /// A string field of the body (`next`, `links.next`, `@odata.nextLink`).
    Field(FieldPath),
    /// The `Link` response header's `rel="next"` (RFC 8288).
    LinkHeader,
}

/// A field reached from the success body through required struct fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    /// Rust names, from the body down.
    pub fields: Vec<String>,
    /// The wire names, dotted (`pagination.nextPage`), for docs.
    pub wire: String,
    /// The last field's wrapper.
    pub wrapper: Wrapper,
}

/// What `x-pagination` on an operation says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaginationHint {
    /// `x-pagination: false`: not paginated, whatever its shape.
    Off,
    /// The parts by wire name; `at` is the extension's pointer.
    Explicit { param: Option<(HintParam, String)>, items: Option<String>, end: EndHint, at: String },
}

/// The request parameter `x-pagination` names, by its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintParam {
    Page,
    Offset,
    Cursor,
}

/// The end-of-pages signal `x-pagination` names, as a dotted path of wire
/// names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndHint {
    /// `next`: the next page's presence (page numbers) or its cursor.
    Next(Vec<String>),
    HasMore(Vec<String>),
    Total(Vec<String>),
    /// `next-link`: a body field with the next page's URL.
    NextLink(Vec<String>),
    /// `next-link: Link`: the `Link` header.
    LinkHeader,
    /// Nothing named: an empty page ends the list.
    EmptyPage,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The scheme's key in `components.securitySchemes`.
    pub wire_name: String,
    /// `snake_case` name of the builder method and client field.
    pub rust_name: String,
    pub kind: SecurityKind,
    pub doc: Option<String>,
    /// The builder's `<scheme>_token_source` method, for bearer schemes.
    pub token_source_method: Option<String>,
    /// Decided: the environment variable that examples and the front page
    /// read the credential from (`BEARER_AUTH` for `bearerAuth`; a basic
    /// scheme's adds `_USERNAME` and `_PASSWORD`).
    pub env_var: String,
    /// OAuth2's client-credentials flow, when the scheme has one.
    pub client_credentials: Option<ClientCredentialsFlow>,
}

/// OAuth2's client-credentials flow of a scheme, and the builder method
/// that runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCredentialsFlow {
    /// The builder's method (`<scheme>_client_credentials`), claimed beside
    /// every scheme's own names.
    pub method: String,
    pub token_url: String,
    /// The scopes it asks for, sorted; none where the flow lists none.
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityKind {
    ApiKeyHeader(String),
    ApiKeyQuery(String),
    ApiKeyCookie(String),
    Bearer,
    Basic,
    /// Another HTTP authentication scheme (`digest`, `hoba`…): the caller
    /// gives the whole `Authorization` value.
    Authorization(String),
}
