//! Names for inline union members, after the union's: what tells a
//! member apart from the others, so that a type is named by position
//! (`Variant2`) only when nothing in the schemas does.

use super::inline_names::common_word_prefix;
use super::view::{admits_only_null, inline_property, SchemaRef, SchemaType, View};
use crate::naming;
use serde_json::Value;
use std::collections::BTreeSet;

/// The name of an inline union member's type, after the union's, by the
/// first of these that tells it apart: `Value` for the one member that is
/// not null; its `title`; the component only it merges (without the words
/// it shares with `parent`); then, reading an `allOf` member's inline
/// part, the value of a property only it fixes (`type: {enum: [space]}`
/// gives `Space`); a property only it requires, or only it has
/// (`WithSpaceId`); an enum's first value, `List`, or `Object`; values of a
/// property no other member allows; the kind of value a shared property
/// holds (`LabelsStrings`); the one to three properties it has, when no
/// other member has just those; the literal a property's `pattern` starts
/// with; a property only it leaves optional; the values it fixes together;
/// else its position (`Variant2`).
pub(super) fn member_label<'a>(member: SchemaRef<'a>, members: &[SchemaRef<'a>], index: usize, parent: &str) -> String {
    let positional = format!("Variant{}", index + 1);
    let SchemaRef::Item(schema) = member else { return positional };
    // `anyOf: [{oneOf: […]}, {type: 'null'}]`: the one member that is not
    // null is the union's value.
    let not_null = members.iter().filter(|m| !admits_only_null(**m)).count();
    if not_null == 1 && !admits_only_null(member) && View::of(schema).title.is_none() {
        return "Value".to_string();
    }
    let view = View::of(schema);
    if let Some(title) = view.title.filter(|t| !t.trim().is_empty()) {
        return title.to_string();
    }
    if let Some(name) = merged_component(&view, members, index) {
        return without_common_words(&naming::type_name(name), parent);
    }
    // A member that is `allOf: [$ref Base, {properties…}]` is told apart by
    // its own inline part.
    let own = |view: View<'a>| -> View<'a> {
        if !view.properties.is_empty() {
            return view;
        }
        let inline = view.all_of.iter().find_map(|m| match m {
            SchemaRef::Item(s) => Some(View::of(s)).filter(|v| !v.properties.is_empty()),
            SchemaRef::Ref(_) => None,
        });
        inline.unwrap_or(view)
    };
    let view = own(view);
    let others: Vec<View<'_>> = members
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .filter_map(|(_, m)| match m {
            SchemaRef::Item(s) => Some(own(View::of(s))),
            SchemaRef::Ref(_) => None,
        })
        .collect();
    // A property fixed to one value (a tag), its value not another's.
    let fixed = |v: &View<'_>, name: &str| -> Option<String> {
        match inline_property(v, name)?.enum_values.as_slice() {
            [Value::String(value)] => Some(value.clone()),
            _ => None,
        }
    };
    for (name, _) in &view.properties {
        if let Some(value) = fixed(&view, name) {
            if !others.iter().any(|o| fixed(o, name).as_deref() == Some(value.as_str())) {
                return value;
            }
        }
    }
    let only_mine = view.required.iter().find(|r| !others.iter().any(|o| o.required.contains(r)));
    if let Some(name) = only_mine {
        return format!("with_{name}");
    }
    // A property only it has.
    let has = |v: &View<'_>, name: &str| v.properties.iter().any(|(n, _)| *n == name);
    if let Some((name, _)) = view.properties.iter().find(|(name, _)| !others.iter().any(|o| has(o, name))) {
        return format!("with_{name}");
    }
    // An enum member: its first value; a list: `List`; an object that
    // names no property: `Object`.
    match (view.enum_values.first(), &view.typ) {
        (Some(Value::String(value)), _) => return value.clone(),
        (_, Some(SchemaType::Array)) => return "List".to_string(),
        (_, Some(SchemaType::Object)) if view.properties.is_empty() => return "Object".to_string(),
        _ => {}
    }
    // A property whose values (an enum) no other member allows: its first
    // value (GitBook's cancellation feedback, one member per set of reasons).
    let values = |v: &View<'_>, name: &str| -> Option<Vec<String>> {
        let values: Vec<String> =
            inline_property(v, name)?.enum_values.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
        (!values.is_empty()).then_some(values)
    };
    for (name, _) in &view.properties {
        let Some(mine) = values(&view, name) else { continue };
        let theirs: Vec<Vec<String>> = others.iter().filter_map(|o| values(o, name)).collect();
        if !theirs.is_empty() && theirs.iter().all(|t| !t.iter().any(|v| mine.contains(v))) {
            return mine[0].clone();
        }
    }
    // A property every member has, of a kind no other member gives it:
    // the property and its kind (GitHub's `labels` as strings or objects).
    for (name, property) in &view.properties {
        let mine = kind_word(*property);
        let theirs: Vec<Option<String>> = others
            .iter()
            .map(|o| o.properties.iter().find(|(n, _)| n == name).and_then(|(_, p)| kind_word(*p)))
            .collect();
        if let Some(mine) = mine.filter(|m| theirs.iter().all(|t| t.as_ref().is_some_and(|t| t != m))) {
            return format!("{name}_{mine}");
        }
    }
    // Nothing only it has: the few properties it has, when no other member
    // has just those (GitHub's protection rule of `id`, `node_id` and
    // `type`, beside ones with more).
    let names = |v: &View<'_>| -> BTreeSet<String> { v.properties.iter().map(|(n, _)| n.to_string()).collect() };
    let mine = names(&view);
    if (1..=3).contains(&mine.len()) && !others.iter().any(|o| names(o) == mine) {
        let mine: Vec<String> = view.properties.iter().map(|(n, _)| n.to_string()).collect();
        return format!("with_{}", mine.join("_and_"));
    }
    // A property whose `pattern` starts with a literal no other member's
    // value of it starts with (`connector: ^integration:[^:]+$` beside
    // fixed `builtin:email`…): that literal.
    let prefix = |v: &View<'_>, name: &str| -> Option<String> {
        let literal: String = inline_property(v, name)?
            .constraints
            .pattern
            .as_deref()?
            .strip_prefix('^')?
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '/' | ' '))
            .collect();
        let literal = literal.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()).to_string();
        (!literal.is_empty()).then_some(literal)
    };
    for (name, _) in &view.properties {
        let Some(mine) = prefix(&view, name) else { continue };
        let clash = others.iter().any(|o| {
            fixed(o, name).is_some_and(|v| v.starts_with(&mine)) || prefix(o, name).is_some_and(|p| p == mine)
        });
        if !clash {
            return mine;
        }
    }
    // A property it has but does not require, where every other member
    // requires it or lacks it.
    let optional = view.properties.iter().map(|(n, _)| *n).find(|name| {
        !view.required.iter().any(|r| r == name)
            && others
                .iter()
                .all(|o| o.required.iter().any(|r| r == name) || !o.properties.iter().any(|(n, _)| n == name))
    });
    if let Some(name) = optional {
        return format!("with_optional_{name}");
    }
    // The values of every property it fixes, together, when no other
    // member fixes the same ones (`reason` and `reasonDetail`).
    let fixed_all = |v: &View<'_>| -> Vec<String> { v.properties.iter().filter_map(|(n, _)| fixed(v, n)).collect() };
    let mine = fixed_all(&view);
    if mine.len() > 1 && !others.iter().any(|o| fixed_all(o) == mine) {
        return mine.join("_");
    }
    positional
}

/// A word for what kind of value a property holds (`text`, `objects`,
/// `widget` for a `$ref` to `Widget`…), or none when unclear.
fn kind_word(property: SchemaRef<'_>) -> Option<String> {
    let schema = match property {
        SchemaRef::Ref(reference) => return reference.rsplit('/').next().map(str::to_string),
        SchemaRef::Item(schema) => schema,
    };
    let view = View::of(schema);
    Some(
        match view.typ? {
            SchemaType::String => "text",
            SchemaType::Integer | SchemaType::Number => "number",
            SchemaType::Boolean => "flag",
            SchemaType::Object => "object",
            SchemaType::Array => {
                let item = match view.items? {
                    SchemaRef::Ref(reference) => return reference.rsplit('/').next().map(|r| format!("{r}_list")),
                    SchemaRef::Item(item) => View::of(item).typ?,
                };
                match item {
                    SchemaType::String => "strings",
                    SchemaType::Integer | SchemaType::Number => "numbers",
                    SchemaType::Boolean => "flags",
                    SchemaType::Object => "objects",
                    SchemaType::Array => "lists",
                    _ => return None,
                }
            }
            _ => return None,
        }
        .to_string(),
    )
}

/// The component an `allOf` member merges that no other member of the
/// union merges (GitHub's `repository-rule-detailed`: each member is
/// `allOf: [repository-rule-<kind>, repository-rule-ruleset-info]`).
fn merged_component<'a>(view: &View<'a>, members: &[SchemaRef<'a>], index: usize) -> Option<&'a str> {
    let refs = |all_of: &[SchemaRef<'a>]| -> Vec<&'a str> {
        all_of
            .iter()
            .filter_map(|m| match m {
                SchemaRef::Ref(reference) => reference.strip_prefix("#/components/schemas/"),
                SchemaRef::Item(_) => None,
            })
            .collect()
    };
    let others: Vec<Vec<&str>> = members
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, m)| match m {
            SchemaRef::Item(s) => refs(&View::of(s).all_of),
            SchemaRef::Ref(reference) => reference.strip_prefix("#/components/schemas/").into_iter().collect(),
        })
        .collect();
    refs(&view.all_of).into_iter().find(|name| !others.iter().any(|o| o.contains(name)))
}

/// `name` without the whole `UpperCamelCase` words it starts with in
/// common with `parent` (`RepositoryRuleCreation` in
/// `RepositoryRuleDetailed` is `Creation`), or whole when nothing is left.
fn without_common_words(name: &str, parent: &str) -> String {
    let common = common_word_prefix([name, parent].into_iter());
    match name.strip_prefix(common.as_str()) {
        Some(rest) if !common.is_empty() && !rest.is_empty() => rest.to_string(),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn common_leading_words_are_dropped() {
        assert_eq!(super::without_common_words("RepositoryRuleCreation", "RepositoryRuleDetailed"), "Creation");
        assert_eq!(super::without_common_words("Repository", "RepositoryRule"), "Repository");
        assert_eq!(super::without_common_words("RepoRule", "RepositoryRule"), "RepoRule");
        assert_eq!(super::without_common_words("Creation", "Rule"), "Creation");
    }
}
