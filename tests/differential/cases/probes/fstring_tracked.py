# A bare f-string of a notebook object whose __format__ counts.
# %%
class T:
    n = 0
    def __format__(self, spec):
        T.n += 1
        return "t"
t = T()
# %%
f"{t}"
# %%
print(T.n)
