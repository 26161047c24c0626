//! `components.securitySchemes` → the credentials a client can hold.

use super::Lowerer;
use crate::diagnostics::Pointer;
use crate::ir::{ClientCredentialsFlow, SecurityKind, SecurityScheme};
use crate::{naming, scopes};
use openapiv3::{APIKeyLocation, ReferenceOr};

impl Lowerer<'_> {
    pub(super) fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = &self.loaded.doc.components else {
            return Vec::new();
        };
        let mut keys: Vec<&String> = components.security_schemes.keys().collect();
        keys.sort();
        // Each scheme is a field of `Client` and `ClientBuilder` and a setter
        // on the builder.
        let mut scope = naming::Scope::with_reserved(scopes::credential_names());
        let mut out = Vec::new();
        for key in keys {
            let at = Pointer::root().join("components").join("securitySchemes").join(key);
            let scheme = match &components.security_schemes[key.as_str()] {
                ReferenceOr::Item(scheme) => scheme,
                ReferenceOr::Reference { reference } => {
                    let target = reference.strip_prefix("#/components/securitySchemes/");
                    match target.and_then(|t| components.security_schemes.get(t)) {
                        Some(ReferenceOr::Item(scheme)) => scheme,
                        _ => {
                            self.diags.warning(
                                &at,
                                format!("`$ref: {reference}` does not point to a security scheme in `#/components/securitySchemes`; the scheme is left out"),
                            );
                            continue;
                        }
                    }
                }
            };
            use openapiv3::SecurityScheme as S;
            let client_credentials = match scheme {
                S::OAuth2 { flows, .. } => flows.client_credentials.as_ref().map(|flow| {
                    let mut scopes: Vec<String> = flow.scopes.keys().cloned().collect();
                    scopes.sort();
                    ClientCredentialsFlow { method: String::new(), token_url: flow.token_url.clone(), scopes }
                }),
                _ => None,
            };
            let (kind, doc) = match scheme {
                S::APIKey { location, name, description, .. } => (
                    match location {
                        APIKeyLocation::Header => SecurityKind::ApiKeyHeader(name.clone()),
                        APIKeyLocation::Query => SecurityKind::ApiKeyQuery(name.clone()),
                        APIKeyLocation::Cookie => SecurityKind::ApiKeyCookie(name.clone()),
                    },
                    description.clone(),
                ),
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    (SecurityKind::Bearer, description.clone())
                }
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    (SecurityKind::Basic, description.clone())
                }
                // Digest, HOBA, …: the caller gives the whole `Authorization`
                // value (the client cannot run their challenges).
                S::HTTP { scheme, description, .. } => {
                    (SecurityKind::Authorization(scheme.clone()), description.clone())
                }
                // The client cannot run an OAuth flow; it sends the access
                // token the caller obtained as a bearer token.
                S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => {
                    (SecurityKind::Bearer, description.clone())
                }
            };
            out.push(SecurityScheme {
                wire_name: key.clone(),
                rust_name: scope.claim(&naming::snake_name(key, "auth"), "_"),
                kind,
                doc,
                token_source_method: None,
                env_var: String::new(),
                client_credentials,
            });
        }
        // The helpers' names, claimed after every scheme's own (a scheme
        // may be called `oauth2_client_credentials` itself).
        for scheme in &mut out {
            if scheme.kind == SecurityKind::Bearer {
                scheme.token_source_method = Some(scope.claim(&format!("{}_token_source", scheme.rust_name), "_"));
            }
            if let Some(flow) = &mut scheme.client_credentials {
                flow.method = scope.claim(&format!("{}_client_credentials", scheme.rust_name), "_");
            }
        }
        out
    }
}
