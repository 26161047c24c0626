//! The generated types with serde formats other than a JSON body: JSON,
//! YAML and MessagePack (with named fields) for every kind of type, string
//! enums through a format that does not describe itself (postcard), and
//! what such a format cannot carry, refused with a clear error.

use matrix_client::types::{Cat, GetPetResponse};
use serde::{de::DeserializeOwned, Serialize};
use statsig_autotune::types::{Autotune, AutotuneListResponse, ExplorationWindow};
use std::fmt::Debug;

/// The list the API returns, as JSON.
fn listed() -> AutotuneListResponse {
    let body = serde_json::json!({
        "message": "Autotune Experiments listed successfully.",
        "data": [{
            "id": "autotune_1", "name": "checkout", "description": "Which button sells more?",
            "idType": "userID", "isStarted": true, "createdTime": 1688072516890u64, "tags": ["a", "é"],
            "variants": [
                {"name": "red", "id": "v1", "json": {"color": "red", "weight": 0.25, "nested": [1, null, "x"]}},
                {"name": "blue", "id": "v2", "json": {}}
            ],
            "successEvent": "add_to_cart", "successEventValue": "", "explorationWindow": "24hrs",
            "attributionWindow": "a-window-not-listed", "winnerThreshold": "95%", "winner": null
        }],
        "pagination": {"itemsPerPage": 1, "pageNumber": 1, "totalItems": 1, "nextPage": null, "previousPage": null}
    });
    serde_json::from_value(body).expect("the list decodes")
}

fn pets() -> Vec<GetPetResponse> {
    vec![
        GetPetResponse::Cat(Cat::new("cat", 9)),
        serde_json::from_str(r#"{"kind":"parrot","words":["hello"],"age":3}"#).expect("an unknown tag decodes"),
    ]
}

/// Encoded by `encode` and decoded by `decode`, the value is unchanged.
fn round_trip<T, E: Debug>(value: &T, encode: impl Fn(&T) -> Vec<u8>, decode: impl Fn(&[u8]) -> Result<T, E>)
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let bytes = encode(value);
    assert_eq!(&decode(&bytes).expect("decodes"), value);
}

#[test]
fn every_kind_of_type_round_trips_through_json_yaml_and_messagepack() {
    let list = listed();
    assert!(
        matches!(&list.data[0].attribution_window, statsig_autotune::types::AttributionWindow::Unknown(v) if v == "a-window-not-listed")
    );
    let pets = pets();
    assert!(matches!(&pets[1], GetPetResponse::Unknown(u) if u.tag == "parrot"));
    round_trip(&list, |v| serde_json::to_vec(v).unwrap(), |b| serde_json::from_slice(b));
    round_trip(&list, |v| serde_yaml::to_string(v).unwrap().into_bytes(), |b| serde_yaml::from_slice(b));
    round_trip(&list, |v| rmp_serde::to_vec_named(v).unwrap(), |b| rmp_serde::from_slice(b));
    for pet in &pets {
        round_trip(pet, |v| serde_json::to_vec(v).unwrap(), |b| serde_json::from_slice(b));
        round_trip(pet, |v| serde_yaml::to_string(v).unwrap().into_bytes(), |b| serde_yaml::from_slice(b));
        round_trip(pet, |v| rmp_serde::to_vec_named(v).unwrap(), |b| rmp_serde::from_slice(b));
    }
    // The crate's own one-pass decoder gives the same values.
    let text = serde_json::to_vec(&list).unwrap();
    assert_eq!(statsig_autotune::from_json_slice::<AutotuneListResponse>(&text).unwrap(), list);
}

#[test]
fn a_repeated_key_is_refused_in_yaml_too_and_errors_name_the_path() {
    let yaml = "id: a\nname: b\nid: c\n";
    assert!(serde_yaml::from_str::<Autotune>(yaml).is_err());
    let wrong = "message: ok\ndata:\n  - id: 7\n";
    let err = serde_yaml::from_str::<AutotuneListResponse>(wrong).unwrap_err().to_string();
    assert!(err.contains("data[0]"), "{err}");
}

#[test]
fn string_enums_work_through_a_format_that_does_not_describe_itself() {
    for value in [ExplorationWindow::V24hr, ExplorationWindow::Unknown("a-new-window".into())] {
        round_trip(&value, |v| postcard::to_allocvec(v).unwrap(), |b| postcard::from_bytes(b));
    }
}

#[test]
fn structs_and_unions_refuse_a_format_that_does_not_describe_itself_clearly() {
    // They decode by member name (as the document defines them), which
    // postcard and bincode do not carry: the README says so, and the
    // error is the format's own "cannot", not a wrong value.
    let bytes = postcard::to_allocvec(&Cat::new("cat", 9)).unwrap();
    let err = postcard::from_bytes::<Cat>(&bytes).unwrap_err();
    assert!(matches!(err, postcard::Error::WontImplement), "{err:?}");
    // MessagePack's compact form writes a struct as an array of its fields:
    // refused as an array, never read as something else.
    let bytes = rmp_serde::to_vec(&Cat::new("cat", 9)).unwrap();
    let err = rmp_serde::from_slice::<Cat>(&bytes).unwrap_err().to_string();
    assert!(err.contains("invalid type: sequence, expected struct Cat"), "{err}");
}
