//! Which way each type travels. Request types get `validate()` and
//! setters, and their `readOnly` properties are never sent; the serde
//! traits follow the direction: only what is sent needs `Serialize`, only
//! what is received needs `Deserialize`.

use crate::ir::{Api, Operation, TypeId};

/// Marks every type a request body or parameter can carry (directly or
/// nested), and decides each type's serde traits.
pub(super) fn mark_directions(api: &mut Api) {
    let sent = api.reached(api.operations.iter().flat_map(Operation::sent_type_refs));
    let received = api.reached(api.operations.iter().flat_map(Operation::received_type_refs));
    // A schema no operation uses may go either way, and so may everything
    // it holds.
    let (_, either) = api.held_by_unused();
    for (i, def) in api.types.iter_mut().enumerate() {
        let id = TypeId(i);
        def.in_requests = sent.contains(&id);
        def.serialize = def.in_requests || either.contains(&id);
        def.deserialize = received.contains(&id) || either.contains(&id);
    }
}
