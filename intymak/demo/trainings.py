"""Synthetic trainings of every kind, in the synthetic locations, attended by the synthetic mediators."""

from datetime import timedelta

from mediators.models import Training

from .base import BATCH_SIZE, FIRST_DAY, demo, fill, read_texts, translated


def make(world):
    rng = world.rng
    texts = read_texts("trainings")
    kinds = [Training.Kind(kind) for kind in texts["kinds"]]
    number = Training.objects.filter(synthetic=True).count() + 1
    locations = world.all_locations()
    mediators = world.mediators
    trainings, attended = [], []
    # At least one training of each kind, whatever the size.
    for i in range(max(len(kinds), world.size // 50)):
        kind = kinds[i % len(kinds)]
        day = FIRST_DAY + timedelta(days=rng.randrange(3 * 365))
        trainings.append(
            Training(
                kind=kind,
                date=day,
                end_date=day + timedelta(days=rng.randrange(3)),
                location=rng.choice(locations),
                participant_count=rng.randrange(10, 41),
                synthetic=True,
                **translated("title", demo(fill(texts["title"], kind=texts["kinds"][kind], number=number))),
                **translated("description", texts["description"]),
            )
        )
        attended.append(rng.sample(mediators, min(len(mediators), rng.randrange(5, 21))))
        number += 1
    trainings = Training.objects.bulk_create(trainings, batch_size=BATCH_SIZE)
    participants = [
        Training.participants.through(training_id=training.pk, mediator_id=mediator.pk)
        for training, chosen in zip(trainings, attended, strict=True)
        for mediator in chosen
    ]
    Training.participants.through.objects.bulk_create(participants, batch_size=BATCH_SIZE * 2)
    world.count("trainings", len(trainings))
    world.count("training participants", len(participants))


def clear(delete):
    delete(Training.objects.filter(synthetic=True))
