// Namespaces, classes, methods in and out of the class body.
namespace geo {
namespace detail {
int clamp(int v);
}

class Shape {
public:
	Shape() {}
	virtual ~Shape();
	virtual double area() const = 0;
	int id() const { return id_; }
	Shape &operator=(const Shape &) = default;
	explicit operator bool() const { return id_ != 0; }

private:
	int id_ = 0;
};

template <typename T>
class Box : public Shape, private detail::Holder<T> {
public:
	double area() const override { return 1.0; }

	struct Corner {
		int where() { return 0; }
	};
};

Shape::~Shape() {}

int detail::clamp(int v) { return v; }

struct Circle : Shape {
	double area() const override;
};

union Bits {
	int i;
	float f;
};

enum class Color { Red, Green };
enum Plain { One, Two };
} // namespace geo

double geo::Circle::area() const
{
	return 3.14;
}

namespace a::b {
void deep() {}
}

void outer()
{
	struct Local {
		void run() {}
	};
}
