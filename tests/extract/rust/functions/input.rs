//! Free functions, nested functions and items inside them.

pub fn area(w: u32, h: u32) -> u32 {
    w * h
}

pub(crate) async unsafe fn fetch<T: Clone>(x: &T) -> T
where
    T: Send,
{
    x.clone()
}

fn outer() -> i32 {
    fn inner(x: i32) -> i32 {
        fn innermost() {}
        innermost();
        x + 1
    }
    struct Local;
    const LIMIT: i32 = 3;
    inner(LIMIT)
}

const MAX: usize = compute_max();
static mut COUNTER: u32 = 0;

extern "C" {
    fn abs(x: i32) -> i32;
}
