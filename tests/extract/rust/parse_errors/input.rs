fn good() {
    ok();
}

fn broken(x: i32 {
    inside();
}

struct S {
    a: i32,
    b:
}

impl S {
    fn method(&self) {
        self.go(;
    }
}

fn after() {
    later();
}
