//! The x-www-form-urlencoded decoder (src/form.rs): ranges fit the input on
//! character boundaries, every decoded character maps back into its value's
//! raw bytes, and encoding a decoded pair decodes back to it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenlint::form;
use tokenlint_fuzz::check_range;

fuzz_target!(|data: &[u8]| {
    let s = tokenlint_fuzz::text(data);
    let s = s.as_ref();
    let f = form::decode(s);
    for p in &f.pairs {
        check_range(s, p.raw.clone(), "pair");
        check_range(s, p.name_raw.clone(), "name");
        check_range(s, p.value_raw.clone(), "value");
        assert!(p.raw.start <= p.name_raw.start && p.name_raw.end <= p.raw.end);
        assert!(p.name_raw.end <= p.value_raw.start && p.value_raw.end <= p.raw.end);
        for &i in &p.plus_spaces {
            assert_eq!(p.value.as_bytes().get(i), Some(&b' '), "plus_spaces {i}");
        }
        for (i, c) in p.value.char_indices() {
            let r = p.value_raw_range(i..i + c.len_utf8());
            check_range(s, r.clone(), "decoded char");
            assert!(
                p.value_raw.start <= r.start && r.end <= p.value_raw.end,
                "{r:?} for {c:?} outside the value {:?}",
                p.value_raw
            );
        }
        let again = form::decode(&format!(
            "{}={}",
            form::encode(&p.name),
            form::encode(&p.value)
        ));
        assert!(again.issues.is_empty(), "{:?}", again.issues);
        assert_eq!(again.pairs.len(), 1);
        assert_eq!(again.pairs[0].name, p.name);
        assert_eq!(again.pairs[0].value, p.value);
    }
    for issue in &f.issues {
        match issue {
            form::Issue::BadEscape { raw } | form::Issue::Unescaped { raw, .. } => {
                check_range(s, raw.clone(), "issue")
            }
            form::Issue::InvalidUtf8 { pair, .. } => assert!(*pair < f.pairs.len()),
        }
    }
});
