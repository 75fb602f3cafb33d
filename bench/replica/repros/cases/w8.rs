use distaudit::coordination;
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpId(pub u8);
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Runs { log: Vec<(u8, OpId)> }
#[distaudit::audit(test(init = "Runs::default()"))]
impl Runs {
    #[coordination(pattern = "idempotency", cite = "kafka-kip-98",
        test(roles(op = "(run, op_id)"), strategy(run = "0u8..2", op_id = "(0u8..3).prop_map(OpId)")))]
    pub fn complete_run(&mut self, run: u8, op_id: OpId) -> Result<(), ()> {
        if !self.log.contains(&(run, op_id)) { self.log.push((run, op_id)); }
        Ok(())
    }
}
