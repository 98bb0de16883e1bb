# getattr(obj, "x") shown, where __getattr__ of a notebook class counts.
# %%
class T:
    n = 0
    def __getattr__(self, name):
        T.n += 1
        return 1
t = T()
# %%
getattr(t, "x")
# %%
print(T.n)
