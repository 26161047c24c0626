//! Which of the runtime's optional parts a crate's code uses, and under
//! which cargo features: the runtime is emitted with those parts only (see
//! [`crate::runtime`]), so a crate carries no code it cannot call.
//!
//! Each rule below states what the emitters print for a construct of the
//! IR (a parameter in a style, a body of a media kind, a tagged union…).
//! The generated crates' clippy runs (`-D warnings`, so a part emitted and
//! not called fails as dead code, a part called and not emitted fails to
//! compile) hold the two to each other.

use crate::ir::{
    default_style, Api, Check, Format, Framing, Gate, LinkFrom, MediaKind, PageStart, PageStyle, PartKind,
    ResponseBody, RuntimeGates, RuntimePart as P, SecurityKind, Status, Style, Success, TypeKind, TypeRef,
};
use std::collections::BTreeSet;

/// The parts the crate's operations, types and schemes use.
pub(super) fn used(api: &Api) -> RuntimeGates {
    let mut parts = Parts::default();
    let always: Gate = [BTreeSet::new()].into();
    for scheme in &api.security_schemes {
        parts.add(P::Credentials, &always);
        let part = match scheme.kind {
            SecurityKind::ApiKeyHeader(_) | SecurityKind::Authorization(_) => P::CredentialHeader,
            SecurityKind::ApiKeyQuery(_) => P::CredentialQuery,
            SecurityKind::ApiKeyCookie(_) => P::CredentialCookie,
            SecurityKind::Bearer => P::CredentialBearer,
            SecurityKind::Basic => P::CredentialBasic,
        };
        parts.add(part, &always);
    }
    for op in &api.operations {
        operation(api, op, &gate_of(&op.features), &mut parts);
    }
    // Only an operation asks a token source for a token: its setters come
    // with the operations (a crate without any has none).
    if let Some(operations) = parts.0.get(&P::Operations).cloned() {
        if api.security_schemes.iter().any(|s| s.token_source_method.is_some()) {
            parts.add(P::CredentialToken, &operations);
        }
    }
    for def in &api.types {
        type_def(api, def, &gate_of(&def.features), &mut parts);
    }
    // Whenever any item names a format: the `uuid` dependency is not
    // optional, and the date types are public, with their own parsing
    // and serde.
    for format in api.type_refs().filter_map(TypeRef::format).collect::<BTreeSet<_>>() {
        let part = match format {
            Format::Uuid => P::FormatUuid,
            Format::Ipv4 | Format::Ipv6 => P::FormatIp,
            Format::DateTime => P::FormatDateTime,
            Format::Date => P::FormatDate,
        };
        parts.add(part, &always);
    }
    parts.done()
}

/// The gate of an item compiled with any of `features` (none: always).
fn gate_of(features: &[String]) -> Gate {
    if features.is_empty() {
        [BTreeSet::new()].into()
    } else {
        features.iter().map(|f| [f.clone()].into()).collect()
    }
}

fn operation(api: &Api, op: &crate::ir::Operation, gate: &Gate, parts: &mut Parts) {
    parts.add(P::Operations, gate);
    for param in &op.params {
        let styled = param.style != default_style(param.location, param.style);
        use crate::ir::ParamLocation as L;
        let part = match (param.location, styled) {
            (L::Path, false) => P::ParamPath,
            (L::Path, true) => P::ParamPathStyled,
            (L::Query, false) => P::ParamQuery,
            (L::Query, true) => P::ParamQueryStyled,
            (L::Header, false) => P::ParamHeader,
            (L::Header, true) => P::ParamHeaderStyled,
            (L::Cookie, false) => P::ParamCookie,
            (L::Cookie, true) => P::ParamCookieStyled,
        };
        parts.add(part, gate);
        // A parameter in its location's default style is sent by the plain
        // method, which names that style itself (see `requires`).
        if styled {
            parts.add(style_part(param.style), gate);
        }
        checks(&param.repr.checks, gate, parts);
        if !param.repr.checks.is_empty() {
            parts.add(P::ValidateCall, gate);
        }
    }
    if let Some(body) = &op.body {
        for content in &body.contents {
            let part = match content.kind {
                MediaKind::Json => P::BodyJson,
                MediaKind::Form => P::BodyForm,
                MediaKind::Multipart => P::BodyMultipart,
                MediaKind::Text => P::BodyText,
                MediaKind::Binary => P::BodyBinary,
            };
            parts.add(part, gate);
            for (_, style) in &content.form_styles {
                parts.add(style_part(*style), gate);
            }
            if let TypeRef::Named(id) = &content.ty {
                if api.ty(*id).validates {
                    parts.add(P::ValidateCall, gate);
                }
            }
        }
    }
    responses(op, false, gate, parts);
    if op.streams || op.events.is_some() {
        responses(op, true, gate, parts);
    }
    if let Some(events) = &op.events {
        parts.add(P::Events, gate);
        parts.add(
            match events.framing {
                Framing::ServerSent => P::EventsSse,
                Framing::Lines => P::EventsLines,
            },
            gate,
        );
        parts.add(if events.item == TypeRef::String { P::EventsText } else { P::EventsJson }, gate);
    }
    if let Some(pagination) = &op.pagination {
        parts.add(P::Pages, gate);
        match &pagination.style {
            PageStyle::PageNumber { counter, end, .. } | PageStyle::Offset { counter, end, .. } => {
                parts.add(P::PageNumbers, gate);
                if matches!(counter, crate::ir::Counter::Int(width) if *width != crate::ir::IntWidth::I64) {
                    parts.add(P::PageNumberNarrow, gate);
                }
                if matches!(end, crate::ir::PageEnd::Total(_)) {
                    parts.add(P::PageTotal, gate);
                }
                if matches!(pagination.style, PageStyle::PageNumber { start: PageStart::MinimumZero, .. }) {
                    parts.add(P::PageAmbiguousStart, gate);
                }
            }
            PageStyle::Cursor { .. } => parts.add(P::PageCursor, gate),
            PageStyle::NextLink(from) => {
                parts.add(P::PageUrl, gate);
                if *from == LinkFrom::LinkHeader {
                    parts.add(P::PageLink, gate);
                }
            }
        }
    }
}

/// What `response_arms` prints for the operation's responses (`stream`:
/// the successes streamed).
fn responses(op: &crate::ir::Operation, stream: bool, gate: &Gate, parts: &mut Parts) {
    let decode = |body: &ResponseBody| match body {
        ResponseBody::Empty => P::DecodeEmpty,
        ResponseBody::Json(_) => P::DecodeJson,
        ResponseBody::Text => P::DecodeText,
        ResponseBody::Bytes => P::DecodeBytes,
    };
    for r in &op.responses {
        let successes: &[bool] = if op.default_success && r.status == Status::Default {
            &[true, false]
        } else if r.status.is_success() {
            &[true]
        } else {
            &[false]
        };
        for &success in successes {
            if !success {
                parts.add(P::OutcomeFailure, gate);
                parts.add(decode(&r.body), gate);
                continue;
            }
            if stream {
                parts.add(P::OutcomeStream, gate);
                continue;
            }
            match &op.success {
                Success::Envelope(_) => {
                    parts.add(P::OutcomeEnvelope, gate);
                    parts.add(P::DecodeJson, gate);
                }
                Success::Plain(_) => {
                    parts.add(P::OutcomeOk, gate);
                    parts.add(decode(&r.body), gate);
                }
                Success::ByStatus(_) => {
                    parts.add(P::OutcomeByStatus, gate);
                    parts.add(decode(&r.body), gate);
                }
            }
        }
    }
    if !op.responses.iter().any(|r| r.status == Status::Default) {
        parts.add(P::OutcomeUnexpected, gate);
    }
    if op.matches_status() {
        parts.add(P::StatusMatch, gate);
    }
}

fn type_def(api: &Api, def: &crate::ir::TypeDef, gate: &Gate, parts: &mut Parts) {
    if def.validates {
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                checks(&field.repr.checks, gate, parts);
                let nested = |ty: &TypeRef| matches!(ty, TypeRef::Named(id) if api.ty(*id).validates);
                match &field.ty {
                    TypeRef::List(item) if nested(item) => parts.add(P::ValidateNested, gate),
                    ty if nested(ty) => parts.add(P::ValidateNested, gate),
                    _ => {}
                }
            }
        }
    }
    if def.multipart {
        parts.add(P::BodyMultipart, gate);
        if let TypeKind::Struct(s) = &def.kind {
            if s.fields.iter().any(|f| matches!(f.repr.part, Some(PartKind::File | PartKind::Files))) {
                parts.add(P::MultipartFile, gate);
            }
        }
    }
    // The decoder, where the type has one: always, or with `full-serde`.
    let decoded: Gate = if def.deserialize {
        gate.clone()
    } else if api.crate_shape.full_serde {
        gate.iter().map(|set| set.iter().cloned().chain(["full-serde".to_string()]).collect()).collect()
    } else {
        return;
    };
    let part = match &def.kind {
        TypeKind::Alias(_) => return,
        // A string enum deserializes through a `String`, not the decoder.
        TypeKind::Enum(_) => return parts.add(P::JsonEnums, &decoded),
        TypeKind::Struct(_) => P::JsonStructs,
        TypeKind::Union(u) if u.discriminator.is_some() && u.unknown.is_some() => P::JsonTagged,
        TypeKind::Union(_) => P::JsonUntagged,
    };
    parts.add(part, &decoded);
    parts.add(P::JsonDeserialize, &decoded);
}

fn checks(checks: &[Check], gate: &Gate, parts: &mut Parts) {
    for check in checks {
        parts.add(
            match check {
                Check::Number { .. } | Check::FiniteItems => P::CheckNumber,
                Check::Length { .. } | Check::Items { .. } => P::CheckCount,
            },
            gate,
        );
    }
}

fn style_part(style: Style) -> P {
    match style {
        Style::Form => P::StyleForm,
        Style::FormCompact => P::StyleFormCompact,
        Style::Simple => P::StyleSimple,
        Style::SimpleExploded => P::StyleSimpleExploded,
        Style::SpaceDelimited => P::StyleSpaceDelimited,
        Style::PipeDelimited => P::StylePipeDelimited,
        Style::DeepObject => P::StyleDeepObject,
        Style::Json => P::StyleJson,
        Style::Label => P::StyleLabel,
        Style::LabelExploded => P::StyleLabelExploded,
        Style::Matrix => P::StyleMatrix,
        Style::MatrixExploded => P::StyleMatrixExploded,
    }
}

/// What a part's own code calls in the runtime: used under a gate, these
/// are used under it too.
fn requires(part: P) -> &'static [P] {
    match part {
        P::CredentialToken => &[P::CredentialBearer, P::Credentials],
        P::ParamPath => &[P::ParamPathStyled, P::StyleSimple],
        P::ParamQuery => &[P::ParamQueryStyled, P::StyleForm],
        P::ParamHeader => &[P::ParamHeaderStyled, P::StyleSimple],
        P::ParamCookie => &[P::ParamCookieStyled, P::StyleFormCompact],
        P::ParamPathStyled => &[P::Style, P::Joined],
        P::ParamQueryStyled => &[P::Style, P::QueryPairs],
        P::ParamHeaderStyled | P::ParamCookieStyled => &[P::Style, P::Joined],
        P::BodyForm => &[P::Style, P::QueryPairs],
        P::StyleForm
        | P::StyleFormCompact
        | P::StyleSimple
        | P::StyleSimpleExploded
        | P::StyleSpaceDelimited
        | P::StylePipeDelimited
        | P::StyleDeepObject
        | P::StyleJson
        | P::StyleLabel
        | P::StyleLabelExploded
        | P::StyleMatrix
        | P::StyleMatrixExploded => &[P::Style],
        P::MultipartFile => &[P::BodyMultipart],
        P::DecodeJson | P::EventsJson => &[P::Json],
        P::JsonStructs | P::JsonEnums | P::JsonTagged | P::JsonUntagged | P::JsonDeserialize => &[P::Json],
        P::Events => &[P::OutcomeStream],
        P::EventsSse | P::EventsLines | P::EventsText => &[P::Events],
        P::OutcomeOk => &[P::OutcomeByStatus],
        P::PageNumbers | P::PageCursor | P::PageUrl | P::PageTotal | P::PageAmbiguousStart => &[P::Pages],
        P::PageNumberNarrow => &[P::PageNumbers],
        P::PageLink => &[P::PageUrl],
        _ => &[],
    }
}

#[derive(Default)]
struct Parts(RuntimeGates);

impl Parts {
    fn add(&mut self, part: P, gate: &Gate) {
        let mut stack = vec![part];
        while let Some(part) = stack.pop() {
            let entry = self.0.entry(part).or_default();
            let before = entry.len();
            entry.extend(gate.iter().cloned());
            if entry.len() != before || before == 0 {
                stack.extend(requires(part));
            }
        }
    }

    fn done(self) -> RuntimeGates {
        self.0.into_iter().map(|(part, gate)| (part, crate::runtime::simplified(gate))).collect()
    }
}
