use distaudit::coordination;

#[coordination(pattern = "retry", cite = "bacon-2017", allow(wallclock = "backoff pacing only, never a safety decision"))]
fn backoff() {}

#[coordination(pattern = "lease", cite = "gray-cheriton-1989", allow(wall_clock = "ok"))]
fn expire() {
    let _t = std::time::Instant::now();
}

fn main() {}
