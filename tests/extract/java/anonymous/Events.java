package ui;

public class Events {
	Runnable field = new Runnable() {
		public void run() {
			fire();
		}
	};

	void listen(Button b) {
		b.onClick(new Listener() {
			@Override
			public void clicked(Event e) {
				handle(e);
			}

			class Helper {
				void help() {
					assist();
				}
			}
		});
		b.onKey(e -> {
			press(e);
			Runnable r = () -> release(e);
		});
	}

	enum Mode {
		FAST {
			@Override
			int speed() {
				return boost();
			}
		},
		SLOW(compute());

		Mode() {
		}

		Mode(int s) {
		}

		int speed() {
			return 1;
		}
	}
}
