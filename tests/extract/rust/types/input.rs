#[derive(Debug, Clone)]
pub struct Point<T> {
    x: T,
    y: T,
}

struct Unit;
struct Pair(i32, i32);

pub enum Shape {
    Circle(f64),
    Rect { w: f64, h: f64 },
    Empty,
}

union Bits {
    i: u32,
    f: f32,
}

type Result<T> = std::result::Result<T, Error>;
pub type Callback = Box<dyn Fn(i32) -> i32>;
