use distaudit::coordination;

pub struct Coordinator {
    pub fence: u64,
}

impl Coordinator {
    #[coordination(pattern = "fencing", cite = "burrows-2006")]
    pub fn acquire(&mut self) -> u64 {
        self.fence += 1;
        self.fence
    }
}

fn main() {}
