use distaudit::coordination;

#[coordination(pattern = "cursor", cite = "bacon-2017", cite = "gray-cheriton-1989")]
fn cursor_position() -> u64 {
    0
}

fn main() {}
