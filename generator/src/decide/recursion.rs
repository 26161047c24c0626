//! Boxing: a field (or union variant) whose type contains its own struct
//! directly would have infinite size.

use crate::ir::{Api, TypeId, TypeKind, TypeRef};

/// A field (or union variant) whose type leads back to its own struct
/// without passing through a `Vec` or map has infinite size; box it. Such
/// a field points into its own strongly connected component of the
/// "contains directly" graph, found once for all types (Tarjan), so this
/// stays linear however long the cycles are.
pub(super) fn box_recursive_fields(api: &mut Api) {
    let direct: Vec<Vec<TypeId>> = api.types.iter().map(|t| direct_children(&t.kind)).collect();
    let component = strongly_connected_components(&direct);
    let cyclic = |from: TypeId, to: TypeId| component[from.0] == component[to.0];
    for i in 0..api.types.len() {
        let me = TypeId(i);
        match &mut api.types[i].kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    if let TypeRef::Named(t) = field.ty {
                        field.repr.boxed = cyclic(t, me);
                    }
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    if let TypeRef::Named(t) = variant.ty {
                        variant.boxed = cyclic(t, me);
                    }
                }
            }
            TypeKind::Enum(_) | TypeKind::Alias(_) => {}
        }
    }
}

/// The component index of every node (iterative Tarjan): two nodes share
/// an index exactly when each reaches the other.
fn strongly_connected_components(edges: &[Vec<TypeId>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut next_index, mut next_component) = (Vec::new(), 0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == UNSEEN {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&TypeId(child)) = edges[node].get(*edge) {
                *edge += 1;
                if index[child] == UNSEEN {
                    work.push((child, 0));
                } else if on_stack[child] {
                    low[node] = low[node].min(index[child]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

fn direct_children(kind: &TypeKind) -> Vec<TypeId> {
    let named = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    };
    match kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| named(&f.ty)).collect(),
        TypeKind::Union(u) => u.variants.iter().filter_map(|v| named(&v.ty)).collect(),
        TypeKind::Alias(ty) => named(ty).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_group_mutual_reachability() {
        let id = TypeId;
        // 0 → 1 → 2 → 0 is a ring; 3 → 0 hangs off it; 4 points to itself.
        let edges = vec![vec![id(1)], vec![id(2)], vec![id(0)], vec![id(0)], vec![id(4)]];
        let c = strongly_connected_components(&edges);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[4], c[3]);
    }
}
