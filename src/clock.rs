//! Where "now" comes from: the system clock, or a fixed time for tests. The domain never reads it.

/// A source of the current time, in seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(i64),
}

impl Clock {
    pub fn now(self) -> i64 {
        match self {
            Clock::System => {
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
            }
            Clock::Fixed(t) => t,
        }
    }
}
