use std::collections::HashMap;
use std::io::{self, Read, Write as W};
use std::sync::*;
pub use crate::model::{user::User, order::{self, Order as O}, *};
use super::parent_fn;
use self::child;
use serde;
use rayon as ray;
use ::log::info;
extern crate alloc;
extern crate core as kore;

fn main() {
    use std::fmt::Debug;
    let m: HashMap<u8, u8> = HashMap::new();
}
