/* parse_errors counts ERROR nodes and MISSING nodes. */
int fine(void)
{
	return 1;
}

int missing_semicolon(int x)
{
	int y = x + 1
	return y;
}

int stray_tokens(int x)
{
	return x ) + 2;
}

int after_errors(void)
{
	return fine();
}
