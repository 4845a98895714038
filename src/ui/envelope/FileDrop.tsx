import { useId, useState, type DragEvent } from 'react';

/** A file input that also takes a dropped file (the input stays the keyboard's way in). */
export function FileDrop({
  label,
  onFile,
  testId,
}: {
  label: string;
  onFile(file: File): void;
  testId?: string;
}) {
  const id = useId();
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
  };
  return (
    <div
      className={`envelope-drop${over ? ' envelope-drop-over' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        data-testid={testId}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (file) onFile(file);
          event.currentTarget.value = ''; // the same file chosen again still counts
        }}
      />
      <span className="envelope-hint">or drop a file here</span>
    </div>
  );
}
