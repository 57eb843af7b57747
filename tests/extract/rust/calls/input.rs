use crate::store::Store;

pub struct App {
    store: Store,
    name: String,
}

impl App {
    pub fn run(&mut self, args: Vec<String>) -> Result<(), Error> {
        let store = Store::open(&args[0])?;
        self.store.save(&self.name);
        self.log("start");
        Self::check(&args);
        let n = args.len().min(10);
        let v = Vec::<u8>::with_capacity(n);
        let parsed = parse::<u32>(&args[1]);
        let c = <Store as Default>::default();
        let w = <Vec<u8>>::new();
        crate::util::trace(n);
        self::local_helper();
        self::inner::deep();
        ::std::process::exit(0);
        helper(Some(1), Ok(2));
        Wrapper(3).unwrap_or_default().finish();
        Ok(())
    }

    fn log(&self, msg: &str) {}
    fn check(args: &[String]) {}
}
