# a + 1 shown, where __add__ of a notebook class counts.
# %%
class T:
    n = 0
    def __add__(self, other):
        T.n += 1
        return other
t = T()
# %%
t + 1
# %%
print(T.n)
