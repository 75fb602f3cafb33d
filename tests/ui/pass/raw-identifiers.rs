//! Raw identifiers, keywords as raw identifiers and unicode names, everywhere an annotation
//! meets a name: functions, parameters, fields, types and methods under `#[distaudit::audit]`.
use distaudit::coordination;

#[coordination(pattern = "lease", cite = "gray-cheriton-1989",
               invariant(holds = "r#type < 100"), test)]
pub fn r#match(r#type: u8) -> u8 {
    r#type % 100
}

#[coordination(pattern = "shard", cite = "chang-2006", fields(start = "r#type", end = "fin"))]
pub struct Plage {
    pub r#type: Vec<u8>,
    pub fin: Vec<u8>,
}

#[allow(non_camel_case_types)]
pub struct r#Epochs {
    pub époque: u64,
}

#[distaudit::audit]
impl r#Epochs {
    #[coordination(pattern = "fencing", cite = "burrows-2006",
                   invariant(strictly_increasing = "self.époque"),
                   test(init = "r#Epochs { époque: 0 }", strategy(r#fn = "0u64..10")))]
    pub fn r#loop(&mut self, r#fn: u64) -> Option<u64> {
        let _ = r#fn;
        self.époque += 1;
        Some(self.époque)
    }
}

fn main() {
    assert_eq!(r#match(7), 7);
    let mut e = r#Epochs { époque: 0 };
    assert_eq!(e.r#loop(1), Some(1));
    let p = Plage { r#type: b"a".to_vec(), fin: b"m".to_vec() };
    assert!(distaudit::KeyRange::contains_key(&p, b"b"));
}
