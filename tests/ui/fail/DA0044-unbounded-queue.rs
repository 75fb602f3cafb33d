use distaudit::coordination;

#[coordination(pattern = "backpressure", cite = "welsh-2001")]
pub fn work_queue() -> (std::sync::mpsc::Sender<u64>, std::sync::mpsc::Receiver<u64>) {
    std::sync::mpsc::channel()
}

fn main() {}
