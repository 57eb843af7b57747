use std::fmt;

pub trait Shape: fmt::Debug + Clone {
    const SIDES: u32;
    type Output;
    fn area(&self) -> f64;
    fn describe(&self) -> String {
        format!("{}", self.area())
    }
}

trait Named: for<'a> Visit<'a> + ?Sized + 'static {}

#[derive(Debug, Clone)]
struct Square<T> {
    side: T,
}

impl<T> Square<T> {
    pub fn new(side: T) -> Self {
        Self { side }
    }
    const KIND: &'static str = kind_name();
}

impl Shape for Square<f64> {
    const SIDES: u32 = 4;
    type Output = f64;
    fn area(&self) -> f64 {
        self.side * self.side
    }
}

impl fmt::Display for Square<f64> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.side)
    }
}

impl<'a, T: Shape> Shape for &'a mut T {
    fn area(&self) -> f64 { (**self).area() }
}

impl Remote {
    fn elsewhere() {}
}
