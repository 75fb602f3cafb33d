//! One compile-fail case per diagnostic code (`tests/ui/fail/DA####-*.rs`) and one passing
//! case per supported item shape (`tests/ui/pass/*.rs`). The `.stderr` files hold rustc's
//! text: regenerate with `TRYBUILD=overwrite` when the toolchain changes.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
