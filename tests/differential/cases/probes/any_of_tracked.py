# any(obj) of a notebook class with an __iter__ that counts.
# %%
class Bag:
    n = 0
    def __iter__(self):
        Bag.n += 1
        return iter([1, 2])
bag = Bag()
# %%
any(bag)
# %%
print(Bag.n)
