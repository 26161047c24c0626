//! Which way each type travels. Request types get `validate()` and
//! setters, and their `readOnly` properties are never sent; the serde
//! traits follow the direction: only what is sent needs `Serialize`, only
//! what is received needs `Deserialize`.

use crate::ir::{Api, ResponseBody, TypeId, TypeRef};
use std::collections::BTreeSet;

/// Marks every type a request body or parameter can carry (directly or
/// nested), and decides each type's serde traits.
pub(super) fn mark_directions(api: &mut Api) {
    let sent = api.reached(api.operations.iter().flat_map(|op| {
        let body = op.body.iter().flat_map(|b| &b.contents).map(|c| &c.ty);
        body.chain(op.params.iter().map(|p| &p.ty))
    }));
    let received = api.reached(api.operations.iter().flat_map(|op| {
        op.responses.iter().filter_map(|r| match &r.body {
            ResponseBody::Json(ty) => Some(ty),
            _ => None,
        })
    }));
    // A schema no operation uses may go either way, and so may everything
    // it holds.
    let unused: Vec<TypeRef> = (0..api.types.len())
        .map(TypeId)
        .filter(|id| !sent.contains(id) && !received.contains(id))
        .map(TypeRef::Named)
        .collect();
    let either: BTreeSet<TypeId> = api.reached(&unused);
    for (i, def) in api.types.iter_mut().enumerate() {
        let id = TypeId(i);
        def.in_requests = sent.contains(&id);
        def.serialize = def.in_requests || either.contains(&id);
        def.deserialize = received.contains(&id) || either.contains(&id);
    }
}
