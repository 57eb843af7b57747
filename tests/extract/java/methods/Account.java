package bank;

public class Account {
	private long balance;

	public Account() {
		this(0);
	}

	public Account(long initial) {
		balance = initial;
	}

	public long balance() {
		return balance;
	}

	<T> T convert(Class<T> type) {
		return null;
	}

	abstract static class Rule {
		abstract boolean allows(long amount);

		native int code();

		boolean strict() {
			return true;
		}
	}

	interface Audit {
		void record(String what);

		default void flush() {
		}

		static Audit none() {
			return null;
		}
	}

	record Money(long cents) {
		Money {
			check(cents);
		}

		Money(int units, int cents) {
			this(units * 100L + cents);
		}
	}
}
