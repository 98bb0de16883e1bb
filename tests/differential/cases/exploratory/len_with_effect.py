# len() of an object whose __len__ has an effect: a bare len(...) is not pure for notebook classes.
# expect: same
# %%
class Tracked:
    asked = 0

    def __len__(self):
        Tracked.asked += 1
        return 3
tracked = Tracked()
# %%
len(tracked)
# %%
print(Tracked.asked)
