# ascii(obj) shown, where __repr__ of a notebook class counts.
# %%
class T:
    n = 0
    def __repr__(self):
        T.n += 1
        return "T"
t = T()
# %%
ascii(t)
# %%
print(T.n)
