mod declared;
pub mod other;

pub mod net {
    pub fn connect() {
        helper();
    }
    fn helper() {}

    pub mod tcp {
        pub struct Stream;
        impl Stream {
            pub fn open() -> Stream {
                super::connect();
                Stream
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens() {
        net::tcp::Stream::open();
    }
}
