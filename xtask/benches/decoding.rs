//! `cargo bench -p xtask --bench decoding`: the generated types' JSON
//! decoding against serde-derived twins of them, side by side in one run:
//! throughput on a large list of structs (at three sizes, to show it is
//! linear), a wide object of unknown members, and a stream of tagged-union
//! events; peak heap memory on the list and on a 32 MiB array of numbers
//! (a counting allocator). Prints its figures; asserts nothing.

use matrix_client::types::GetPetResponse;
use serde::Deserialize;
use statsig_autotune::types::{
    AttributionWindow, AttributionWindowUnit, AutomatedRollout, AutotuneListResponse, ExplorationWindow,
    WinnerThreshold,
};
use statsig_autotune::Nullable;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use xtask::timing::{median, ms};

/// The system allocator, counting the bytes live and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on unchanged.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
            PEAK.fetch_max(live, Ordering::Relaxed);
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The heap a decode needs at its peak, above what was live before it
/// (the body), in bytes; the decoded value is kept until the peak is read.
fn peak_of<T>(f: impl FnOnce() -> T) -> usize {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let value = f();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    drop(black_box(value));
    peak
}

// The derive twins of the generated `AutotuneListResponse` and what it
// holds: the same fields, of the same types (the crate's own open enums and
// `Nullable`), decoded by serde's derive.

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandList {
    data: Vec<HandAutotune>,
    message: String,
    pagination: HandPagination,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct HandPagination {
    all: Option<String>,
    items_per_page: i64,
    next_page: Option<String>,
    page_number: i64,
    previous_page: Option<String>,
    total_items: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandVariant {
    id: Option<String>,
    json: serde_json::Value,
    name: String,
    size: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct HandAutotune {
    attribution_window: AttributionWindow,
    attribution_window_unit: Option<AttributionWindowUnit>,
    created_time: Option<f64>,
    #[serde(default)]
    creator_email: Nullable<String>,
    #[serde(rename = "creatorID", default)]
    creator_id: Nullable<String>,
    #[serde(default)]
    creator_name: Nullable<String>,
    description: String,
    exploration_window: ExplorationWindow,
    exploration_window_rate: Option<f64>,
    feature_list: Option<Vec<String>>,
    goal_rich_text: Option<String>,
    higher_is_better: Option<bool>,
    #[serde(rename = "holdoutIDs")]
    holdout_ids: Option<Vec<String>>,
    id: String,
    id_type: Option<String>,
    inline_targeting_rules: Option<Vec<serde_json::Value>>,
    #[serde(rename = "inlineTargetingRulesJSON", default)]
    inline_targeting_rules_json: Nullable<String>,
    is_contextual: Option<bool>,
    is_started: bool,
    #[serde(default)]
    last_modified_time: Nullable<f64>,
    #[serde(default)]
    last_modifier_email: Nullable<String>,
    #[serde(rename = "lastModifierID")]
    last_modifier_id: Option<String>,
    last_modifier_name: Option<String>,
    linked_experiment_name: Option<String>,
    longterm_exploration_allocation: Option<f64>,
    metadata_field: Option<String>,
    #[serde(rename = "metricSourceID")]
    metric_source_id: Option<String>,
    name: Option<String>,
    optimization_parameter: Option<serde_json::Value>,
    success_event: String,
    success_event_value: String,
    tags: Option<Vec<String>>,
    target_apps: Option<Vec<String>>,
    #[serde(default)]
    team: Nullable<String>,
    #[serde(rename = "teamID", default)]
    team_id: Nullable<String>,
    value_column: Option<String>,
    variants: Vec<HandVariant>,
    version: Option<f64>,
    #[serde(default)]
    winner: Nullable<serde_json::Value>,
    winner_threshold: WinnerThreshold,
}

fn list_json(items: usize) -> Vec<u8> {
    let item = |i: usize| {
        serde_json::json!({
            "id": format!("autotune_{i}"), "name": format!("autotune_{i}"), "description": "A description of this autotune.",
            "idType": "userID", "lastModifierID": "24hiIXz1maFaDwtYEetv2i", "lastModifiedTime": 1716324033128u64,
            "lastModifierName": "jairo Garciga", "lastModifierEmail": "jairo@statsig.com", "creatorID": "5sgBiiuoBX4fscrWdCXVma",
            "createdTime": 1688072516890u64, "creatorName": "Samuel Kitono", "creatorEmail": "samuel@statsig.com",
            "targetApps": [], "holdoutIDs": [], "tags": ["a", "b"], "team": null, "isStarted": i % 2 == 0,
            "inlineTargetingRulesJSON": "{}", "inlineTargetingRules": [],
            "variants": [
                {"name": "red", "id": "7eOW6aXU7F07KxrggOrAdy", "json": {"color": "red", "weight": 3}},
                {"name": "blue", "id": "7eOW6cCWzX9C3WZbRWndwA", "json": {}}
            ],
            "successEvent": "add_to_cart", "successEventValue": "", "explorationWindow": "24hrs",
            "attributionWindow": "2hrs", "winnerThreshold": "95%", "winner": null
        })
    };
    let body = serde_json::json!({
        "message": "Autotune Experiments listed successfully.",
        "data": (0..items).map(item).collect::<Vec<_>>(),
        "pagination": {"itemsPerPage": items, "pageNumber": 1, "totalItems": items, "nextPage": null, "previousPage": null}
    });
    serde_json::to_vec(&body).unwrap()
}

/// The derive twin of `AutomatedRollout`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct HandRollout {
    pass_percent: f64,
    time: Option<f64>,
}

/// The derive twin of the matrix client's `GetPetResponse` (serde's own
/// tagged enum: it strips the tag its variants' structs then lack).
#[derive(Deserialize)]
#[serde(tag = "kind")]
#[allow(dead_code)]
enum HandPet {
    #[serde(rename = "cat")]
    Cat { lives: i64, name: Option<String> },
    #[serde(rename = "dog")]
    Dog { bark: String },
}

/// One row: ours (the client's decoder, and `Deserialize`) beside the twin.
fn row(what: &str, mb: f64, ours: Duration, public: Duration, twin: Duration) {
    println!(
        "| {what} | {mb:.1} | {} ({:.0} MB/s) | {} | {} ({:.0} MB/s) | **{:.2}×** |",
        ms(ours),
        mb / ours.as_secs_f64(),
        ms(public),
        ms(twin),
        mb / twin.as_secs_f64(),
        twin.as_secs_f64() / ours.as_secs_f64()
    );
}

fn main() {
    use statsig_autotune::from_json_slice;
    println!("# cargo bench -p xtask --bench decoding (the figures of one run)\n");
    println!(
        "`Autotune` is {} bytes, its twin {}.\n",
        std::mem::size_of::<statsig_autotune::types::Autotune>(),
        std::mem::size_of::<HandAutotune>()
    );
    println!("| body | MB | ours: `from_json_slice` ms | ours: `serde_json::from_slice` ms | derive twin ms | ours over the twin's time |");
    println!("|---|---|---|---|---|---|");
    for items in [1_000, 10_000, 100_000] {
        let body = list_json(items);
        let mb = body.len() as f64 / 1e6;
        let runs = if items > 10_000 { 3 } else { 5 };
        let ours = median(runs, || from_json_slice::<AutotuneListResponse>(&body).unwrap());
        let public = median(runs, || serde_json::from_slice::<AutotuneListResponse>(&body).unwrap());
        let twin = median(runs, || serde_json::from_slice::<HandList>(&body).unwrap());
        row(&format!("a list of {items} Autotunes"), mb, ours, public, twin);
    }
    let mut wide = String::from(r#"{"passPercent": 50.5"#);
    for i in 0..1_000_000 {
        wide.push_str(&format!(r#","member_{i}":{i}"#));
    }
    wide.push('}');
    let body = wide.into_bytes();
    let mb = body.len() as f64 / 1e6;
    let ours = median(5, || from_json_slice::<AutomatedRollout>(&body).unwrap());
    let public = median(5, || serde_json::from_slice::<AutomatedRollout>(&body).unwrap());
    let twin = median(5, || serde_json::from_slice::<HandRollout>(&body).unwrap());
    row("an object with 1,000,000 unknown members", mb, ours, public, twin);
    let events: Vec<String> = (0..100_000)
        .map(|i| match i % 3 {
            0 => format!(r#"{{"kind":"cat","lives":{},"name":"cat {i}"}}"#, i % 9),
            1 => r#"{"lives":3,"kind":"cat"}"#.to_string(),
            _ => format!(r#"{{"kind":"dog","bark":"woof {i}"}}"#),
        })
        .collect();
    let mb = events.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let ours = median(5, || {
        events
            .iter()
            .for_each(|e| drop(black_box(matrix_client::from_json_slice::<GetPetResponse>(e.as_bytes()).unwrap())))
    });
    let public =
        median(5, || events.iter().for_each(|e| drop(black_box(serde_json::from_str::<GetPetResponse>(e).unwrap()))));
    let twin = median(5, || events.iter().for_each(|e| drop(black_box(serde_json::from_str::<HandPet>(e).unwrap()))));
    row("100,000 tagged-union events, each decoded alone", mb, ours, public, twin);

    println!("\n| body | MB | ours: peak heap MB | derive twin: peak heap MB | ours over the twin's |");
    println!("|---|---|---|---|---|");
    let body = list_json(10_000);
    let ours = peak_of(|| from_json_slice::<AutotuneListResponse>(&body).unwrap());
    let twin = peak_of(|| serde_json::from_slice::<HandList>(&body).unwrap());
    let mb = |bytes: usize| bytes as f64 / 1e6;
    println!(
        "| a list of 10,000 Autotunes | {:.1} | {:.1} | {:.1} | **{:.2}×** |",
        mb(body.len()),
        mb(ours),
        mb(twin),
        ours as f64 / twin as f64
    );
    let mut numbers = String::from("[");
    let mut n: u64 = 1;
    while numbers.len() < 32 << 20 {
        n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        numbers.push_str(&format!("{},", n >> 40));
    }
    numbers.push_str("0]");
    let body = numbers.into_bytes();
    let ours = peak_of(|| from_json_slice::<Vec<i64>>(&body).unwrap());
    let twin = peak_of(|| serde_json::from_slice::<Vec<i64>>(&body).unwrap());
    println!(
        "| a 32 MiB array of integers | {:.1} | {:.1} | {:.1} | **{:.2}×** |",
        mb(body.len()),
        mb(ours),
        mb(twin),
        ours as f64 / twin as f64
    );
    let ours = median(3, || from_json_slice::<Vec<i64>>(&body).unwrap());
    let twin = median(3, || serde_json::from_slice::<Vec<i64>>(&body).unwrap());
    println!(
        "\nThe 32 MiB array: ours {} ms, the twin {} ms ({:.2}× its time).",
        ms(ours),
        ms(twin),
        ours.as_secs_f64() / twin.as_secs_f64()
    );
}
