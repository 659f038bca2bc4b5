import { useEffect, useState } from 'react';
import { currentPosition, DEFAULT_PLACE, locationAllowed, type LatLng } from './geo';

export const PLACES: Record<string, LatLng> = {
  cityhall: DEFAULT_PLACE,
  gangnam: { latitude: 37.4979, longitude: 127.0276 },
  busan: { latitude: 35.1578, longitude: 129.0597 },
  jeju: { latitude: 33.4996, longitude: 126.5312 },
};

const KEY = 'ww.place';

function saved(): string {
  try {
    const v = localStorage.getItem(KEY);
    return v && (v === 'here' || PLACES[v]) ? v : 'cityhall';
  } catch {
    return 'cityhall';
  }
}

/**
 * The reader's place. The browser is asked only when the reader chose "here" (or allowed it before), never on
 * load: a permission prompt nobody asked for is the first thing people dismiss.
 */
export function usePlace() {
  const [choice, setChoiceState] = useState(saved);
  const [place, setPlace] = useState<LatLng | null>(choice === 'here' ? null : PLACES[choice]!);
  const [error, setError] = useState<unknown>(null);
  const [locating, setLocating] = useState(false);
  // Until the first permission check is done, so a reader who allowed location gets one feed, not two.
  const [settled, setSettled] = useState(false);

  const locate = async (asked: boolean) => {
    if (!asked && !(await locationAllowed())) return false;
    setLocating(true);
    try {
      setPlace(await currentPosition());
      setError(null);
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setLocating(false);
    }
  };

  useEffect(() => {
    let live = true;
    // Allowed before: use it without a prompt; the saved choice stays on screen meanwhile.
    void locationAllowed()
      .then(async (ok) => {
        if (!live) return;
        if (!ok) {
          if (choice === 'here') setChoice('cityhall');
          return;
        }
        setChoiceState('here');
        await locate(true);
      })
      .finally(() => live && setSettled(true));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const setChoice = (next: string) => {
    try {
      localStorage.setItem(KEY, next);
    } catch {
      /* private mode */
    }
    setChoiceState(next);
    if (next === 'here') {
      void locate(true).then((ok) => {
        if (!ok) setChoiceState('cityhall');
      });
    } else if (PLACES[next]) {
      setError(null);
      setPlace(PLACES[next]!);
    }
  };

  return { place: place ?? PLACES.cityhall!, choice, setChoice, error, locating, ready: settled };
}
