/* a.c - half of a two-file circle, for the dependency-circle check's own test. */
int lo_b(void);
int lo_a(void)
{
    return lo_b();
}
