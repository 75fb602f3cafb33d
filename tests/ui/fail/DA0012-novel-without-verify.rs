use distaudit::coordination;

#[coordination(pattern = "lease", novel = "leases that renew themselves on every read")]
fn renew_on_read() {}

fn main() {}
