/* b.c - the other half of the circle: uses a.c, which uses it. */
int lo_a(void);
int lo_b(void)
{
    return lo_a() + 1;
}
