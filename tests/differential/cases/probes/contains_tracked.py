# x in obj shown, where __contains__ of a notebook class counts.
# %%
class T:
    n = 0
    def __contains__(self, item):
        T.n += 1
        return True
t = T()
# %%
3 in t
# %%
print(T.n)
