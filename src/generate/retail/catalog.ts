/**
 * Product types the retail generator draws from: a name, a price band and option dimensions.
 * Variants are drawn from the product of the option values, as in τ-bench's store.
 */
export interface ProductType {
  name: string;
  price: readonly [number, number];
  options: Readonly<Record<string, readonly string[]>>;
}

const COLORS = ['black', 'white', 'blue', 'red', 'green', 'grey', 'silver'] as const;

export const CATALOG: readonly ProductType[] = [
  { name: 'T-Shirt', price: [45, 60], options: { color: ['blue', 'red', 'black', 'purple'], size: ['S', 'M', 'L', 'XL', 'XXL'], material: ['cotton', 'polyester'], style: ['crew neck', 'v-neck'] } },
  { name: 'Laptop', price: [1900, 3000], options: { 'screen size': ['13-inch', '15-inch', '17-inch'], processor: ['i5', 'i7', 'i9'], ram: ['8GB', '16GB', '32GB'], storage: ['256GB SSD', '512GB SSD', '1TB SSD'], color: ['silver', 'black', 'space grey'] } },
  { name: 'Running Shoes', price: [90, 200], options: { size: ['8', '9', '10', '11'], color: ['black', 'white', 'yellow'], material: ['mesh', 'leather', 'synthetic'], sole: ['rubber', 'EVA'] } },
  { name: 'Smartphone', price: [900, 1400], options: { color: ['black', 'gold', 'rose gold', 'silver'], storage: ['64GB', '128GB', '256GB'], RAM: ['4GB', '6GB', '8GB'], 'screen size': ['5.8-inch', '6.1-inch', '6.5-inch'] } },
  { name: 'Backpack', price: [170, 230], options: { color: ['black', 'green', 'grey', 'navy'], size: ['small', 'medium', 'large'], material: ['nylon', 'polyester', 'leather'], compartment: ['laptop', 'hydration', 'camera'] } },
  { name: 'Coffee Maker', price: [250, 320], options: { color: ['black', 'stainless steel', 'white'], capacity: ['1 cup', '2 cups', '4 cups', '8 cups'], type: ['drip', 'espresso', 'french press'], features: ['auto shutoff', 'timer', 'built-in grinder'] } },
  { name: 'Water Bottle', price: [20, 60], options: { capacity: ['500ml', '750ml', '1000ml'], material: ['glass', 'plastic', 'stainless steel'], color: ['blue', 'green', 'red', 'black'] } },
  { name: 'Desk Lamp', price: [130, 220], options: { color: ['black', 'white', 'silver'], brightness: ['low', 'medium', 'high'], 'power source': ['battery', 'USB', 'AC adapter'] } },
  { name: 'Notebook', price: [20, 40], options: { size: ['A4', 'A5'], cover: ['hard cover', 'soft cover'] } },
  { name: 'Sunglasses', price: [180, 320], options: { 'frame color': ['black', 'brown', 'silver'], 'lens color': ['green', 'brown', 'black', 'blue'], 'lens type': ['polarized', 'non-polarized'], 'frame material': ['plastic', 'metal'] } },
  { name: 'Wristwatch', price: [1700, 2300], options: { strap: ['leather', 'metal', 'silicone'], 'dial color': ['black', 'white', 'blue'] } },
  { name: 'Electric Toothbrush', price: [150, 270], options: { color: ['white', 'black', 'blue'], speed: ['low', 'high'], 'battery type': ['AA batteries', 'rechargeable'] } },
  { name: 'Yoga Mat', price: [90, 120], options: { thickness: ['4mm', '5mm', '6mm'], material: ['natural rubber', 'PVC', 'TPE'], color: ['green', 'pink', 'blue'] } },
  { name: 'Bluetooth Speaker', price: [180, 310], options: { color: ['black', 'blue', 'red', 'green'], 'battery life': ['10 hours', '20 hours'], 'water resistance': ['yes', 'no'] } },
  { name: 'Gaming Mouse', price: [130, 200], options: { color: ['black', 'white', 'RGB'], sensor: ['optical', 'laser'], connectivity: ['wired', 'wireless'] } },
  { name: 'Action Camera', price: [380, 540], options: { resolution: ['1080p', '4K', '5K'], waterproof: ['yes', 'no'], color: ['black', 'silver'] } },
  { name: 'Garden Hose', price: [90, 140], options: { length: ['25ft', '50ft', '100ft'], material: ['rubber', 'vinyl', 'latex'], color: ['green', 'blue', 'black'] } },
  { name: 'Hiking Boots', price: [200, 270], options: { size: ['7', '8', '9', '10', '11', '12'], material: ['leather', 'synthetic'], waterproof: ['yes', 'no'] } },
  { name: 'Tablet', price: [790, 1100], options: { 'screen size': ['7-inch', '8-inch', '10-inch'], storage: ['32GB', '64GB', '128GB'], color: ['black', 'silver', 'gold'] } },
  { name: 'E-Reader', price: [240, 300], options: { 'screen size': ['6-inch', '7-inch', '8-inch'], connectivity: ['Wi-Fi', 'Wi-Fi + Cellular'], storage: ['8GB', '32GB'] } },
  { name: 'Portable Charger', price: [40, 120], options: { capacity: ['5000mAh', '10000mAh', '20000mAh'], output: ['USB-A', 'USB-C', 'Wireless'], color: ['black', 'white', 'blue'] } },
  { name: 'Indoor Security Camera', price: [3000, 3300], options: { resolution: ['1080p', '2K', '4K'], 'field of view': ['110 degrees', '130 degrees', '160 degrees'], connectivity: ['Wi-Fi', 'Ethernet'] } },
  { name: 'Electric Kettle', price: [140, 260], options: { capacity: ['1L', '1.5L', '2L'], material: ['plastic', 'glass', 'stainless steel'], color: ['white', 'black', 'silver'] } },
  { name: 'Mechanical Keyboard', price: [130, 290], options: { switch: ['linear', 'tactile', 'clicky'], backlight: ['none', 'white', 'RGB'], size: ['full size', '80%', '60%'] } },
  { name: 'Wireless Earbuds', price: [130, 260], options: { color: ['black', 'white', 'blue'], 'battery life': ['4 hours', '6 hours', '8 hours'], 'water resistance': ['IPX4', 'IPX7', 'not resistant'] } },
  { name: 'Smart Thermostat', price: [210, 270], options: { compatibility: ['Apple HomeKit', 'Amazon Alexa', 'Google Assistant'], color: ['black', 'white', 'stainless steel'] } },
  { name: 'Fleece Jacket', price: [130, 190], options: { size: ['S', 'M', 'L', 'XL'], color: ['red', 'navy', 'black'], zipper: ['full', 'half'] } },
  { name: 'Wall Clock', price: [150, 300], options: { diameter: ['10 inches', '12 inches', '14 inches'], color: ['white', 'black', 'wood'], type: ['analog', 'digital'] } },
  { name: 'Dumbbell Set', price: [420, 570], options: { 'weight range': ['5-25 lbs', '30-50 lbs', '55-75 lbs'], material: ['iron', 'rubber', 'urethane'], 'set type': ['fixed', 'adjustable'] } },
  { name: 'Pet Bed', price: [160, 220], options: { size: ['small', 'medium', 'large'], material: ['memory foam', 'polyester', 'fleece'], color: ['grey', 'brown', 'beige'] } },
  { name: 'Espresso Machine', price: [2400, 3100], options: { pressure: ['9 bar', '15 bar', '19 bar'], capacity: ['1L', '1.5L', '2L'], type: ['manual', 'automatic', 'capsule'] } },
  { name: 'Cycling Helmet', price: [140, 230], options: { size: ['S', 'M', 'L'], color: ['black', 'white', 'red', 'blue'], ventilation: ['low', 'medium', 'high'] } },
  { name: 'LED Light Bulb', price: [40, 60], options: { brightness: ['60W equivalent', '75W equivalent', '100W equivalent'], 'color temperature': ['daylight', 'warm white'], connectivity: ['none', 'Wi-Fi', 'Bluetooth'] } },
  { name: 'Digital Camera', price: [2500, 3200], options: { resolution: ['20MP', '24MP', '30MP'], zoom: ['3x', '5x', '10x'], storage: ['SD card', 'CF card'] } },
  { name: 'Bookshelf', price: [440, 560], options: { material: ['wood', 'metal', 'glass'], color: ['brown', 'white', 'black'], height: ['3 ft', '4 ft', '5 ft', '6 ft'] } },
  { name: 'Bicycle', price: [1900, 2200], options: { 'frame size': ['small', 'medium', 'large'], color: ['black', 'red', 'blue'], type: ['road', 'mountain'] } },
  { name: 'Sneakers', price: [150, 200], options: { size: ['8', '9', '10', '11'], color: ['black', 'white', 'red'], material: ['canvas', 'leather', 'synthetic'] } },
  { name: 'Office Chair', price: [420, 560], options: { material: ['fabric', 'leather', 'mesh'], color: ['black', 'gray', 'blue'], armrest: ['fixed', 'adjustable', 'none'], 'backrest height': ['standard', 'high-back'] } },
  { name: 'Smart Watch', price: [300, 380], options: { color: ['black', 'silver', 'gold'], band: ['leather', 'metal', 'silicone'], display: ['LCD', 'AMOLED'] } },
  { name: 'Tea Kettle', price: [80, 160], options: { material: ['glass', 'ceramic', 'stainless steel'], capacity: ['1 liter', '1.5 liters', '2 liters'], 'stovetop compatibility': ['electric', 'gas', 'induction'] } },
  { name: 'Luggage Set', price: [450, 600], options: { 'piece count': ['2-piece', '3-piece', '4-piece'], color: ['black', 'blue', 'silver', 'red'], material: ['hardshell', 'softshell'] } },
  { name: 'Patio Umbrella', price: [230, 300], options: { size: ['6 ft', '7 ft', '8 ft'], color: ['green', 'blue', 'black'], material: ['polyester', 'sunbrella', 'olefin'], 'tilt mechanism': ['manual tilt', 'auto tilt'] } },
  { name: 'Air Purifier', price: [470, 560], options: { 'room size': ['small', 'medium', 'large'], 'filter type': ['HEPA', 'ionic', 'carbon'], features: ['night mode', 'quiet operation', 'smart sensors'] } },
  { name: 'Makeup Kit', price: [220, 270], options: { 'skin tone': ['light', 'medium', 'dark'], 'kit size': ['basic', 'professional'], brand: ['Brand A', 'Brand B', 'Brand C'] } },
  { name: 'Skateboard', price: [120, 220], options: { deck: ['maple', 'bamboo', 'plastic'], length: ['28 inch', '31 inch', '34 inch'], design: ['plain', 'graphic', 'custom'] } },
  { name: 'Jigsaw Puzzle', price: [40, 60], options: { pieces: ['500', '1000', '1500', '2000'], theme: ['animals', 'art', 'fantasy'], 'difficulty level': ['beginner', 'intermediate', 'expert'] } },
  { name: 'Grill', price: [780, 1100], options: { type: ['charcoal', 'gas', 'electric'], size: ['portable', 'medium', 'large'], features: ['rotisserie', 'side burner', 'none'] } },
  { name: 'Headphones', price: [180, 380], options: { type: ['on-ear', 'over-ear', 'in-ear'], connectivity: ['wired', 'wireless'], color: ['black', 'white', 'red'] } },
  { name: 'Vacuum Cleaner', price: [500, 800], options: { type: ['robotic', 'canister', 'upright'], 'bagged/bagless': ['bagged', 'bagless'], features: ['pet hair removal', 'HEPA filter', 'cordless'] } },
  { name: 'Perfume', price: [230, 320], options: { scent: ['woody', 'floral', 'fresh', 'oriental'], size: ['30ml', '50ml', '100ml'], gender: ['men', 'women'] } },
  { name: 'Desk Organizer', price: [25, 70], options: { material: ['bamboo', 'metal', 'plastic'], color: [...COLORS.slice(0, 3)], compartments: ['3', '5', '7'] } },
];
