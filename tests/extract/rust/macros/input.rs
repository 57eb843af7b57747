macro_rules! square {
    ($x:expr) => {
        $x * $x
    };
}

#[macro_export]
macro_rules! log_call {
    ($($arg:tt)*) => { println!($($arg)*) };
}

fn report(items: &[Item], out: &mut Vec<String>) {
    println!("{} items, total {}", items.len(), total(items));
    let v = vec![make(1), Item::new(2), square!(3)];
    assert_eq!(self.count(), helper::count(items));
    out.push(format!("{:?}", items.first().map(describe)));
    std::println!("done");
    log_call!("{}", render(&v));
    write!(out, "{}", a.b.c(1), Vec::new().len());
}
