use distaudit::coordination;

#[coordination(pattern = "lease", cite = "gray-cheriton-1989", cite = "gray-cheriton-1989",
               backend = "etcd", backend = "zookeeper")]
fn acquire() {}

fn main() {}
