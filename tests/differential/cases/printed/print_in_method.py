# A notebook class method prints while it works; the calls happen in a later section.
# expect: same
# %%
class Trainer:
    def __init__(self, epochs):
        self.epochs = epochs
        self.loss = 1.0

    def train(self):
        for epoch in range(self.epochs):
            self.loss /= 2
            print(f"epoch {epoch}: loss {self.loss}")
        return self.loss
# %% [markdown]
# ## Train
# %%
trainer = Trainer(3)
final_loss = trainer.train()
# %% [markdown]
# ## Result
# %%
print("final", final_loss)
