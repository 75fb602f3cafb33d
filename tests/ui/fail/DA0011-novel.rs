#![deny(warnings)]
use distaudit::coordination;

#[coordination(pattern = "lease", novel = "leases that renew themselves on every read", verify = "covers_novel_lease")]
fn renew_on_read() {}

#[cfg(test)]
#[test]
fn covers_novel_lease() {}

fn main() {
    renew_on_read();
}
