# `lines = !echo ...` gives an SList with .n, .l and .s.
# %%
lines = !printf 'a\nb\n'
# %%
print(lines.l, repr(lines.n), lines.s)
