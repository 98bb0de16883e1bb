# "%s" % obj shown, where __str__ of a notebook class counts.
# %%
class T:
    n = 0
    def __str__(self):
        T.n += 1
        return "T"
t = T()
# %%
"%s" % t
# %%
print(T.n)
