impl Span {
    pub fn new(start: Vec<u8>, end: Vec<u8>) -> Result<Self, SpanError> {
        let distaudit_value = { Ok(Span { start, end }) };
        #[cfg(any(debug_assertions, test))]
        {
            if let ::core::result::Result::Ok(distaudit_new) = &distaudit_value {
                ::distaudit::__private::TypeProbe::<Self>::new()
                    .check_type(distaudit_new, "Span::new");
            }
        }
        distaudit_value
    }
    pub fn narrow(&mut self, end: Vec<u8>) {
        #[cfg(any(debug_assertions, test))]
        let distaudit_entry = ::distaudit::__private::TypeProbe::<Self>::new()
            .entry(&*self);
        let distaudit_value = {
            self.end = end;
        };
        #[cfg(any(debug_assertions, test))]
        {
            ::distaudit::__private::TypeProbe::<Self>::new()
                .check_type(&*self, "Span::narrow");
            distaudit_entry(&*self, "Span::narrow");
        }
        #[allow(clippy::let_unit_value)]
        let () = distaudit_value;
    }
    pub fn len(&self) -> usize {
        self.end.len()
    }
}
