//! `callback::Inbox::receive` + `commit`: de-duplication of redeliveries.
//!
//! Input: the push body, as bytes (the same corpus shape as `push_parse`).
//!
//! An inbox without a secret receives the body, commits it, and receives it
//! again (a redelivery). Asserts:
//! * the result agrees with `push::parse` (same push, or same error kind);
//! * there is one item per CDR record, else one item; on the first receive no
//!   item is a duplicate, even when two records share a key;
//! * on the redelivery every item with a key is a duplicate, every item
//!   without one is not, the keys are the same, `is_duplicate()` holds exactly
//!   when every item has a key, and `new_records()` yields the records whose
//!   item is new;
//! * after the de-duplication window the keys are forgotten;
//! * an inbox with a small body limit refuses larger bodies with
//!   PUSH_TOO_LARGE and otherwise answers like the default inbox.

#![no_main]

use libfuzzer_sys::fuzz_target;
use privnum::ErrorKind;
use privnum::callback::push::{self, Push};
use privnum::callback::{Inbox, InboxConfig};

const NOW: i64 = 1_714_550_400;
const SMALL_BODY: usize = 64;

fuzz_target!(|data: &[u8]| {
    let config = InboxConfig::default();
    let inbox = Inbox::new(&config);
    let no_headers: [(&str, &str); 0] = [];

    let first = inbox.receive(data, no_headers, NOW);
    let parsed = push::parse(data);

    let small = Inbox::new(&InboxConfig {
        max_body_bytes: SMALL_BODY,
        ..InboxConfig::default()
    });
    let small_result = small.receive(data, no_headers, NOW);
    if data.len() > SMALL_BODY {
        assert_eq!(
            small_result.map(|_| ()).map_err(|e| e.kind()),
            Err(ErrorKind::PushTooLarge)
        );
    } else {
        assert_eq!(
            small_result
                .as_ref()
                .map(|r| &r.items)
                .map_err(|e| e.kind()),
            first.as_ref().map(|r| &r.items).map_err(|e| e.kind())
        );
    }

    let r1 = match first {
        Ok(r) => r,
        Err(e) => {
            assert_eq!(Err(e.kind()), parsed.map(|_| ()).map_err(|e| e.kind()));
            assert!((300..=349).contains(&e.code()), "{e:?}");
            // Nothing was committed: a later receive fails the same way.
            let again = inbox
                .receive(data, no_headers, NOW)
                .map(|_| ())
                .map_err(|e| e.kind());
            assert_eq!(again, Err(e.kind()));
            return;
        }
    };
    assert_eq!(
        Ok(&r1.push),
        parsed.as_ref().map_err(|_| ()),
        "receive and parse agree"
    );
    assert!(r1.verified.is_none());
    let expected_items = match &r1.push {
        Push::Cdrs(records) => records.len(),
        _ => 1,
    };
    assert_eq!(r1.items.len(), expected_items);
    assert!(
        r1.items.iter().all(|i| !i.duplicate),
        "fresh inbox: {:?}",
        r1.items
    );
    assert!(!r1.is_duplicate());
    for item in &r1.items {
        if let Some(k) = &item.key {
            assert!(!k.is_empty());
        }
    }
    if let Push::NumberStatus(_) = r1.push {
        assert_eq!(
            r1.items[0].key, None,
            "number statuses are never de-duplicated"
        );
    }
    if let Push::Cdrs(records) = &r1.push {
        assert_eq!(r1.new_records().count(), records.len());
    }

    inbox.commit(&r1, NOW);
    let keyed = r1.items.iter().filter(|i| i.key.is_some()).count();

    // The redelivery, a minute later.
    let r2 = inbox
        .receive(data, no_headers, NOW + 60)
        .expect("the same body parses again");
    assert_eq!(r2.push, r1.push);
    assert_eq!(r2.items.len(), r1.items.len());
    for (a, b) in r1.items.iter().zip(&r2.items) {
        assert_eq!(a.key, b.key);
        assert_eq!(b.duplicate, b.key.is_some(), "{:?}", r2.items);
    }
    assert_eq!(r2.is_duplicate(), keyed == r2.items.len());
    let new_items = r2.items.iter().filter(|i| !i.duplicate).count();
    match &r2.push {
        Push::Cdrs(_) => assert_eq!(r2.new_records().count(), new_items),
        _ => assert_eq!(r2.new_records().count(), 0),
    }
    assert!(inbox.dedup().len() <= keyed);

    // After the window nothing is remembered.
    let later = NOW + i64::from(config.dedup_window_secs) + 1;
    let r3 = inbox.receive(data, no_headers, later).unwrap();
    assert!(r3.items.iter().all(|i| !i.duplicate), "{:?}", r3.items);
});
