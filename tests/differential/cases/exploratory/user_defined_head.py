# A notebook class's own head() method records that it was called: not pandas' head().
# expect: same
# %%
class Log:
    def __init__(self):
        self.calls = []

    def head(self, n=2):
        self.calls.append(n)
        return self.calls[:n]
log = Log()
# %%
log.head()
log.head(3)
# %%
print(len(log.calls))
