struct Handler {
    callback: Box<dyn Fn(i32)>,
    table: Vec<fn() -> i32>,
}

impl Handler {
    fn fire(&self, f: impl Fn() -> i32, (g, h): (fn(), fn())) {
        f();
        g();
        h();
        (self.callback)(1);
        self.table[0]();
        let add = |a: i32, b: i32| combine(a, b);
        add(1, 2);
        let Some(cb) = lookup("x") else { return };
        cb();
        if let Some(k) = lookup("y") {
            k();
        }
        match lookup("z") {
            Some(m) if valid(m) => m(),
            _ => fallback(),
        }
        for step in steps() {
            step();
        }
        make_adder(1)(2);
        (|| compute())();
        valid(0);
    }
}

fn after() {
    f();
    add(1, 2);
}
